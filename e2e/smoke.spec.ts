import { expect, test } from '@playwright/test';

test('the page loads the default scenario @smoke', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'SVA Explorer' })).toBeVisible();
  await expect(page.getByTestId('diagram')).toBeVisible();
});
