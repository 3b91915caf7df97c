// The structures diagram on the default scenario (the seed story): who points at what, folding,
// selection, pan/zoom and the node actions. Screenshots at 1280×720 in both themes land in
// test-results/ for a human to look at.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';

// These tests read the whole diagram (every structure), not the lens's chain in focus.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('sva.diagram.mode', 'all'));
});

const svg = (page: Page) => page.getByTestId('diagram-svg');

/** Focus pans an off-screen node into view (the pane clips, it does not scroll); then click. */
async function reveal(node: Locator): Promise<Locator> {
  await node.focus();
  await expect(node).toBeInViewport({ ratio: 0.9 });
  return node;
}

/** The tree an edge leads to (edge ids are edge-<from>-<to>; data-to holds the model id). */
async function treeOf(page: Page, edgePrefix: string): Promise<string> {
  const edge = page.locator(`[data-testid^="${edgePrefix}-tree-"]`);
  await expect(edge).toHaveCount(1);
  const to = await edge.getAttribute('data-to');
  return `tree-${to!.split(':')[1]}`;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('ste-16')).toBeVisible();
});

test('display, video and camera point at one CD table; its CD 0 is the global io-pgtable', async ({
  page,
}) => {
  await expect(page.getByTestId('cdtable-media')).toHaveCount(1);
  for (const sid of [16, 17, 18])
    await expect(page.getByTestId(`edge-ste-${sid}-cdtable-media`)).toHaveCount(1);
  await expect(page.getByTestId('ste-16')).toHaveAccessibleName(/S1 → CD table/);
  const tree = await treeOf(page, 'edge-cd-media-0');
  await expect(page.getByTestId(tree)).toHaveAttribute('data-role', 'io-global');
  await expect(page.getByTestId(`${tree}-head`)).toHaveAccessibleName(
    /GLOBAL io-pgtable · 3 streams/,
  );
});

test('the gpu CD table has a private io-pgtable row for compositor and for game', async ({
  page,
}) => {
  await expect(page.getByTestId('edge-ste-32-cdtable-gpu-dom')).toHaveCount(1);
  await expect(page.getByTestId('cd-gpu-dom-1')).toHaveAccessibleName(/compositor · private/);
  await expect(page.getByTestId('cd-gpu-dom-2')).toHaveAccessibleName(/game · private/);
  const a = await treeOf(page, 'edge-cd-gpu-dom-1');
  const b = await treeOf(page, 'edge-cd-gpu-dom-2');
  expect(a).not.toBe(b);
  for (const t of [a, b])
    await expect(page.getByTestId(t)).toHaveAttribute('data-role', 'io-private');
  await expect(page.getByTestId('cdtable-gpu-dom')).toContainText('1,021 invalid CDs');
});

test('the ml process and the accel CD row point at the same shared tree, drawn once', async ({
  page,
}) => {
  const fromCd = await treeOf(page, 'edge-cd-accel-dom-3');
  const fromMm = await treeOf(page, 'edge-proc-ml');
  expect(fromCd).toBe(fromMm);
  await expect(page.getByTestId(fromCd)).toHaveCount(1);
  await expect(page.getByTestId(fromCd)).toHaveAttribute('data-role', 'shared');
  await expect(page.getByTestId('proc-ml')).toHaveAccessibleName(/PASID 3/);
});

test('a tree opens table by table and folds away', async ({ page }) => {
  const tree = page.getByTestId(await treeOf(page, 'edge-proc-ml'));
  const tables = tree.locator('[data-testid^="table-"]');
  await expect(tables).toHaveCount(4);
  await expect(tree.locator('[data-testid^="entry-"]')).toHaveCount(0);
  const l3 = tables.last();
  await expect(l3).toHaveAttribute('aria-expanded', 'false');
  await (await reveal(l3)).click();
  await expect(l3).toHaveAttribute('aria-expanded', 'true');
  await expect(tree.locator('[data-testid^="entry-"]')).toHaveCount(2);
  await expect(tree.locator('[data-testid^="entry-"]').first()).toHaveAccessibleName(
    /→ 0x.* 4K rw/,
  );
  const head = tree.locator('[data-testid$="-head"]');
  await (await reveal(head)).click();
  await expect(head).toHaveAttribute('aria-expanded', 'false');
  await expect(tables).toHaveCount(0);
});

test('clicking a CD row or an entry selects it for the inspector', async ({ page }) => {
  const row = page.getByTestId('cd-accel-dom-3');
  await (await reveal(row)).click();
  await expect(row).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('inspector')).toContainText('CD 3 of accel-dom');
  const tree = page.getByTestId(await treeOf(page, 'edge-proc-ml'));
  await (await reveal(tree.locator('[data-testid^="table-"]').last())).click();
  const entry = tree.locator('[data-testid^="entry-"]').first();
  await entry.focus();
  await page.keyboard.press('Enter');
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  await expect(row).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('inspector')).toContainText('L3[0]');
});

test('the zoom buttons and keys move the viewport', async ({ page }) => {
  // The stage holding the drawing moves by a CSS transform.
  const vp = page.getByTestId('diagram-stage');
  const t0 = await vp.getAttribute('style');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(() => vp.getAttribute('style')).not.toBe(t0);
  const t1 = await vp.getAttribute('style');
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect.poll(() => vp.getAttribute('style')).not.toBe(t1);
  const t2 = await vp.getAttribute('style');
  await page.getByRole('button', { name: 'Fit diagram to view' }).click();
  await expect.poll(() => vp.getAttribute('style')).not.toBe(t2);
  const t3 = await vp.getAttribute('style');
  await page.getByTestId('diagram').focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => vp.getAttribute('style')).not.toBe(t3);
  await expect(svg(page)).toBeVisible();
});

test('"DMA here" on a CD row appends a DMA op from a stream using that table', async ({ page }) => {
  await (await reveal(page.getByTestId('menu-cd-accel-dom-3'))).click();
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await menu
    .getByRole('menuitem', { name: /DMA read by accel · PASID 3 @ 0x7f00_0000_0000/ })
    .click();
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('diagram-changes')).toContainText('op #29: dma');
});

test('"Bind accel" on a process binds it and a new CD row appears', async ({ page }) => {
  await page.getByTestId('menu-proc-compositor').focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: /Process compositor/ });
  await expect(menu.getByRole('menuitem', { name: /display/ })).toBeDisabled();
  await expect(menu.getByRole('menuitem', { name: /^Unbind gpu/ })).toBeEnabled();
  await menu.getByRole('menuitem', { name: /^Bind accel/ }).click();
  await expect(page.getByTestId('diagram-changes')).toContainText('op #29: bind');
  const rows = page.locator('[data-testid^="cd-accel-dom-"]');
  await expect(rows).toHaveCount(3);
  await expect(rows.last()).toHaveAccessibleName(/compositor · SVA/);
  await expect(rows.last()).toHaveClass(/is-new/);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no accessibility violations in the diagram (${scheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await (await reveal(page.getByTestId('cd-accel-dom-3'))).click();
    const tree = page.getByTestId(await treeOf(page, 'edge-proc-ml'));
    await (await reveal(tree.locator('[data-testid^="table-"]').last())).click();
    const scan = await new AxeBuilder({ page }).include('.dg').analyze();
    expect(
      scan.violations.map((v) => `${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });

  test(`screenshot 1280×720 ${scheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByTestId('cd-gpu-dom-1').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `test-results/diagram-1280x720-${scheme}.png` });
    await page.getByRole('button', { name: 'Fit diagram to view' }).click();
    await page.waitForTimeout(400);
    await page
      .getByTestId('diagram')
      .screenshot({ path: `test-results/diagram-fit-${scheme}.png` });
  });
}
