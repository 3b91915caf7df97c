// Building a scenario through the UI only: from an empty scenario (?empty), op by op, then undo
// and redo; the same with the keyboard only; an accessibility scan of the regions the timeline,
// forms and header own; screenshots of the default page in light and dark.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addOp, form, openForm } from './forms.ts';

const row = (page: Page, i: number) => page.getByTestId(`timeline-op-${i}`);

// Generous: each op replays the scenario, and CI machines here have 2 cores shared with builds.
test.describe.configure({ timeout: 90_000 });

test('build a scenario from empty through the UI, then undo and redo', async ({ page }) => {
  await page.goto('/?empty');
  await expect(page.getByText('0 ops')).toBeVisible();
  await expect(page.getByTestId('timeline-boot')).toContainText('empty');

  await addOp(page, 'device', {
    Name: 'accel',
    StreamID: '0x100',
    Bus: 'pci',
    'PASID bits': '20',
    ATS: true,
    PRI: true,
  });
  await expect(row(page, 0)).toContainText(
    'device accel · SID 0x100 · PCI, ATS, PRI, 20-bit PASID',
  );
  await expect(page.getByTestId('timeline-boot')).toContainText('kernel rfc2017');

  await addOp(page, 'domain', { Name: 'accel-dom', Type: 'dma' });
  await addOp(page, 'attach', { Device: 'accel', Domain: 'accel-dom' });
  await expect(row(page, 2)).toContainText('attach accel → accel-dom');
  await addOp(page, 'process', { Name: 'game' });
  await expect(row(page, 3)).toContainText(/pid \d+/);
  await addOp(page, 'mmap', {
    Process: 'game',
    Address: '0x7f00_0000_0000',
    Size: '0x1_0000',
    Protection: 'rw',
  });
  await addOp(page, 'bind', { Device: 'accel', Process: 'game', 'Page tables': 'shared' });
  await expect(row(page, 5)).toContainText('bind accel ↔ game');
  await expect(row(page, 5)).toContainText('PASID 1');

  await addOp(page, 'dma', {
    Device: 'accel',
    PASID: '1',
    Address: '0x7f00_0000_0000',
    Access: 'r',
  });
  await expect(row(page, 6)).toContainText('dma accel PASID 1 r 0x7f00_0000_0000');
  await expect(row(page, 6)).toContainText('dma: translated');
  await expect(row(page, 6)).toContainText('PRI SUCCESS');

  await addOp(page, 'unbind', { Device: 'accel', Process: 'game' });
  await expect(row(page, 7)).toContainText('PASID 1 freed');
  await addOp(page, 'exit', { Process: 'game' });
  await expect(row(page, 8)).toContainText('exit game');
  await expect(page.getByText('9 ops')).toBeVisible();
  // The newest op is the cursor's.
  await expect(row(page, 8).getByRole('button').first()).toHaveAttribute('aria-current', 'step');

  // A validation error shows at its field, and nothing is added.
  await addOp(page, 'mmap', { Process: 'game', Size: '0x1001' });
  const size = form(page).getByLabel('Size', { exact: true });
  await expect(size).toBeFocused();
  await expect(size).toHaveAttribute('aria-invalid', 'true');
  await expect(form(page)).toContainText('must be a multiple of 0x1000');
  await expect(page.getByText('9 ops')).toBeVisible();

  // The kernel notes of an op expand under it.
  await row(page, 5)
    .getByRole('button', { name: /Kernel notes of op 5/ })
    .click();
  await expect(row(page, 5).getByRole('list')).toContainText('PASID 1');

  const undo = page.getByRole('button', { name: 'Undo' });
  const redo = page.getByRole('button', { name: 'Redo' });
  await expect(redo).toBeDisabled();
  await undo.click();
  await expect(row(page, 8)).toHaveCount(0);
  await expect(page.getByText('8 ops')).toBeVisible();
  await expect(redo).toBeEnabled();
  await redo.click();
  await expect(row(page, 8)).toContainText('exit game');
  await expect(redo).toBeDisabled();

  // Deleting the bind replays the rest: the dma and unbind now fail.
  await row(page, 5).getByRole('button').first().click();
  await row(page, 5).getByRole('button', { name: 'Delete op 5' }).click();
  await expect(row(page, 5)).toContainText('dma accel PASID 1');
  await expect(row(page, 5)).toContainText(/dma: (fault|aborted)/);
  await expect(row(page, 6)).toContainText('-ESRCH');
  await page.keyboard.press('Control+z');
  await expect(row(page, 5)).toContainText('PASID 1');
});

test('keyboard only: add ops, move through the timeline, delete, undo', async ({ page }) => {
  await page.goto('/?empty');
  await expect(page.getByText('0 ops')).toBeVisible();

  // n opens "Add an op" with its op picker focused ("device" is first); Tab to the name, type
  // it, Enter adds.
  await page.locator('body').press('n');
  await expect(form(page).getByLabel('Op', { exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(form(page).getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('gpu');
  await page.keyboard.press('Enter');
  await expect(row(page, 0)).toContainText('device gpu');

  // Back to the op picker; type-ahead chooses "process".
  await page.keyboard.press('Shift+Tab');
  await expect(form(page).getByLabel('Op', { exact: true })).toBeFocused();
  await page.keyboard.type('proc');
  await expect(form(page).getByLabel('Op', { exact: true })).toHaveValue('process');
  await page.keyboard.press('Tab');
  await page.keyboard.type('game');
  await page.keyboard.press('Enter');
  await expect(row(page, 1)).toContainText('process game');

  // Into the timeline: the current row's button is its tab stop; ↑ moves the cursor.
  await row(page, 1).getByRole('button').first().focus();
  await page.keyboard.press('ArrowUp');
  await expect(row(page, 0).getByRole('button').first()).toBeFocused();
  await expect(row(page, 0).getByRole('button').first()).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('Alt+ArrowDown');
  await expect(row(page, 1)).toContainText('device gpu');
  await page.keyboard.press('Delete');
  await expect(row(page, 1)).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(row(page, 1)).toContainText('device gpu');
  await page.keyboard.press('Control+Shift+z');
  await expect(row(page, 1)).toHaveCount(0);

  // ? opens the help; Tab stays inside; Escape closes it.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Diagram' })).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Stepper' })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // t cycles the theme.
  await page.locator('body').press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.locator('body').press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('no serious or critical accessibility violations in the header and left column', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('timeline-op-0')).toBeVisible();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    const results = await new AxeBuilder({ page }).include('.left').include('header').analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  }
});

test('screenshots at 1280×720, light and dark', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/');
    await expect(page.getByTestId('timeline-op-0')).toBeVisible();
    await page.screenshot({ path: `test-results/build-scenario-${theme}.png` });
    // An op with its notes open, and a validation error in the form.
    await page.getByTestId('timeline-op-25').getByRole('button').first().click();
    await page
      .getByTestId('timeline-op-25')
      .getByRole('button', { name: /Kernel notes/ })
      .click();
    await openForm(page);
    await form(page).getByLabel('Op', { exact: true }).selectOption('mmap');
    await form(page).getByLabel('Size', { exact: true }).fill('0x1001');
    await form(page).getByRole('button', { name: 'Add mmap' }).click();
    await page.screenshot({ path: `test-results/build-scenario-${theme}-detail.png` });
  }
  await page.goto('/');
  await page.keyboard.press('?');
  await page.screenshot({ path: 'test-results/build-scenario-help.png' });
});
