import { expect, test } from '@playwright/test';

test('the page loads @smoke', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'SVA Explorer' })).toBeVisible();
});
