// The bottom panel (queues, caches, PASIDs) and the inspector on the default scenario: queue
// pointers and the last commands, the PASID state the story ends with, a register's fields, and
// a CD's fields checked against the engine's own decoding of the words shown. Screenshots of
// the page in light and dark go to test-results/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CD, decode, hex } from '../src/engine/index.ts';

const panels = (page: Page) => page.getByTestId('panels');
const inspector = (page: Page) => page.getByTestId('inspector');

test('queues: rings with PROD/CONS and the last ops’ commands', async ({ page }) => {
  await page.goto('/');
  const tab = panels(page).getByRole('tab', { name: 'Queues' });
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('queue-cmdq-prod')).toHaveText(/^PROD 0x[0-9a-f]+ \(wrap [01]\)$/);
  await expect(page.getByTestId('queue-cmdq-cons')).toHaveText(/^CONS 0x[0-9a-f]+ \(wrap [01]\)$/);
  await expect(page.getByTestId('queue-cmdq-state')).toContainText('empty');
  await expect(page.getByTestId('queue-evtq')).toBeVisible();
  await expect(page.getByTestId('queue-priq')).toBeVisible();
  const activity = page.getByTestId('queue-activity');
  await expect(activity.getByText('CMD_SYNC').first()).toBeVisible();
  await expect(activity).toContainText('CMD_PRI_RESP');

  // A command listed in the activity opens its queue slot in the inspector.
  await activity
    .getByRole('button', { name: /^CMDQ\[\d+\] CMD_SYNC/ })
    .first()
    .click();
  await expect(page.getByTestId('inspector-title')).toContainText('CMD_SYNC');
  await expect(page.getByTestId('inspector-field-Opcode-value')).toHaveText('0x46');
  await expect(page.getByTestId('inspector-field-Opcode')).toContainText('CMD_SYNC');

  // Clicking a ring slot does the same.
  await page.getByTestId('queue-slot-priq-0').click({ force: true });
  await expect(page.getByTestId('inspector-title')).toHaveText('PRIQ[0] page request');
  await expect(page.getByTestId('inspector-field-SSV-value')).toHaveText('0x1');
  await expect(page.getByTestId('inspector-field-SubstreamID-value')).toHaveText('0x3');
});

test('tabs switch with the arrow keys; PASIDs shows the story’s PASIDs', async ({ page }) => {
  await page.goto('/');
  const queues = panels(page).getByRole('tab', { name: 'Queues' });
  await queues.focus();
  await page.keyboard.press('ArrowRight');
  await expect(panels(page).getByRole('tab', { name: 'Caches' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByTestId('tlb-entry-0')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  const pasids = panels(page).getByRole('tab', { name: 'PASIDs' });
  await expect(pasids).toHaveAttribute('aria-selected', 'true');
  await expect(pasids).toBeFocused();
  await expect(page.getByTestId('pasid-1')).toContainText(/private\s*gpu\s*↔\s*compositor/);
  await expect(page.getByTestId('pasid-2')).toContainText(/private\s*gpu\s*↔\s*game/);
  await expect(page.getByTestId('pasid-3')).toContainText(/shared\s*process\s*ml/);
  await expect(page.getByTestId('context-accel-dom-ml')).toContainText('ref 1');
  await expect(page.getByTestId('bond-gpu-compositor')).toContainText('PASID 1');
  await expect(page.getByTestId('cpu-asid-ml')).toContainText('pinned');
});

test('a register from the list shows its fields', async ({ page }) => {
  await page.goto('/');
  // Below 1500 px wide the inspector starts as a rail: open it as a user would.
  await page.getByRole('button', { name: 'Open the inspector' }).click();
  await inspector(page).getByRole('button', { name: 'STRTAB_BASE_CFG', exact: true }).click();
  await expect(page.getByTestId('inspector-title')).toHaveText('SMMU_STRTAB_BASE_CFG');
  await expect(page.getByTestId('inspector-field-FMT-value')).toHaveText('0x1');
  await expect(page.getByTestId('inspector-field-FMT')).toContainText('2-level');
  await expect(page.getByTestId('inspector-field-SPLIT-value')).toHaveText('0x8');
  await expect(page.getByTestId('inspector-field-FMT')).toContainText('§6.3.25');
  await inspector(page).getByRole('button', { name: 'CR0', exact: true }).click();
  await expect(page.getByTestId('inspector-field-SMMUEN-value')).toHaveText('0x1');
  await expect(page.getByTestId('inspector-word-0-hex')).toHaveText('0x0000000f');
});

test('a CD’s fields equal the engine’s decoding of its words; hover lights its bits', async ({
  page,
}) => {
  await page.goto('/');
  await panels(page).getByRole('tab', { name: 'Caches' }).click();
  // The configuration cache holds the accelerator's CD for PASID 3 (the ml bond).
  await page
    .getByTestId('cache-cfg')
    .getByRole('row', { name: /CD\s+SID 0x100 SSID 3/ })
    .click();
  await expect(page.getByTestId('inspector-title')).toHaveText('CD SID 0x100 SSID 3');
  const words: bigint[] = [];
  for (let i = 0; i < 8; i++)
    words.push(BigInt(await page.getByTestId(`inspector-word-${i}-hex`).innerText()));
  const expected = decode(CD, words);
  for (const [name, v] of Object.entries(expected))
    await expect(page.getByTestId(`inspector-field-${name}-value`)).toHaveText(hex(v));
  // The SVA CD of the rfc2017 story: valid, shares the CPU's ASID (ASET=0), 48-bit VA, 4 KB.
  expect(expected['V']).toBe(1n);
  expect(expected['ASET']).toBe(0n);
  expect(expected['T0SZ']).toBe(16n);
  await expect(page.getByTestId('inspector-field-ASET')).toContainText('shared');

  await page.getByTestId('inspector-field-ASID').hover();
  const lit = page.getByTestId('inspector-word-0').locator('.hl');
  await expect(lit).toHaveCount(16);
  await expect(lit.first()).toHaveAttribute('data-bit', '63');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no accessibility violations in the panels and inspector (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await page.getByTestId('queue-slot-cmdq-40').click({ force: true });
    for (const tab of ['Queues', 'Caches', 'PASIDs']) {
      await panels(page).getByRole('tab', { name: tab }).click();
      const scan = await new AxeBuilder({ page })
        .include('[data-testid="panels"]')
        .include('[data-testid="inspector"]')
        .analyze();
      expect(
        scan.violations.map(
          (v) => `${tab}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    }
  });

  test(`screenshots of the panels and inspector (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/');
    await page.getByTestId('queue-slot-cmdq-40').click({ force: true });
    await expect(page.getByTestId('inspector-title')).toContainText('CMD_SYNC');
    await page.screenshot({ path: `test-results/panels-queues-${scheme}.png` });
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .screenshot({ path: `test-results/panels-inspector-${scheme}.png` });
    await panels(page).getByRole('tab', { name: 'Caches' }).click();
    await page.getByTestId('cfg-entry-0').click();
    await page.getByTestId('inspector-field-Config').hover();
    await page.screenshot({ path: `test-results/panels-caches-${scheme}.png` });
    await panels(page).getByRole('tab', { name: 'PASIDs' }).click();
    // The register list folds away while memory is inspected; open it again.
    await inspector(page).getByText('Registers', { exact: true }).click();
    await inspector(page).getByRole('button', { name: 'IDR0', exact: true }).click();
    await page.screenshot({ path: `test-results/panels-pasids-${scheme}.png` });
  });
}
