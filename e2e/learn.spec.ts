// Tours and notes end to end (issue 14): the first-visit tour runs to its end with the page's
// moment and selection checked at each stop; skipping is remembered; a shared link opens on its
// moment without the offer; a note added at a moment survives a share link opened in a fresh
// context, and hostile note text is shown as text.
import './onDemand.ts';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { firstVisitTour } from '../src/scenario/presets/tours.ts';
import { seedStory } from '../src/scenario/presets/seedStory.ts';
import { encodeLink } from '../src/share/index.ts';

test.describe.configure({ timeout: 90_000 });

const current = (page: Page) => page.locator('.tl-main[aria-current="step"]');

// What each stop must select, worked out from the seed story by hand: the STE of SID 0x10
// (display), the CD of SSID 2 in the GPU's table, the first L0 entry of ml's tree, nothing for
// an op focus, the STE of the first stream attached to media (display), the GPU's STE (SID 0x20),
// the CD of SSID 3 in the accelerator's table.
const expected: (RegExp | null)[] = [
  null,
  /^STE 0x10 \(display\)$/,
  /^CD 2 of gpu-dom \(SSID 2\)$/,
  /^L0\[\d+\] at 0x/,
  null,
  /^STE 0x10 \(display\)$/,
  /^STE 0x20 \(gpu\)$/,
  /^CD 3 of accel-dom \(SSID 3\)$/,
];

test('the first-visit tour runs to its end, moving the page at each stop', async ({ page }) => {
  await page.goto('/');
  const offer = page.getByTestId('tour-offer');
  await expect(offer).toBeVisible();
  // It sits in the left column: it covers nothing of the diagram.
  const dock = await page.getByTestId('learn-dock').boundingBox();
  const center = await page.locator('main.center').boundingBox();
  expect(dock!.x + dock!.width).toBeLessThanOrEqual(center!.x + 1);
  await page.getByRole('button', { name: 'Take the tour' }).click();
  const n = firstVisitTour.stops.length;
  expect(expected).toHaveLength(n);
  for (let i = 0; i < n; i++) {
    const stop = firstVisitTour.stops[i]!;
    await expect(page.getByTestId('narration-count')).toHaveText(`Stop ${i + 1} of ${n}`);
    await expect(current(page)).toHaveCount(1);
    await expect(page.getByTestId(`timeline-op-${stop.at.op}`).locator('.tl-main')).toHaveAttribute(
      'aria-current',
      'step',
    );
    await expect(page.getByTestId('narration-text')).not.toContainText('is not on the page');
    const want = expected[i];
    if (want) await expect(page.getByTestId('inspector-title')).toHaveText(want);
    if (i < n - 1)
      await page
        .getByTestId('narration')
        .getByRole('button', { name: 'Next', exact: true })
        .click();
  }
  await page
    .getByTestId('narration')
    .getByRole('button', { name: 'Previous', exact: true })
    .click();
  await expect(page.getByTestId('narration-count')).toHaveText(`Stop ${n - 1} of ${n}`);
  await page.getByTestId('narration').getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByTestId('narration').getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(page.getByTestId('narration')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('learn-dock')).toBeVisible();
  await expect(page.getByTestId('tour-offer')).toHaveCount(0);
});

test('skipping the offer is remembered', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Skip' }).click();
  await expect(page.getByTestId('tour-offer')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('learn-dock')).toBeVisible();
  await expect(page.getByTestId('tour-offer')).toHaveCount(0);
});

test('a shared link opens straight on its moment, without the offer', async ({ page }) => {
  await page.goto(`/${encodeLink({ ...seedStory, cursor: { op: 12, step: 0 } })}`);
  await expect(page.getByTestId('learn-dock')).toBeVisible();
  await expect(page.getByTestId('tour-offer')).toHaveCount(0);
  await expect(page.getByTestId('timeline-op-12').locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
});

test('a note added at a moment survives a share link in a fresh context, as text', async ({
  page,
  browser,
}) => {
  const hostile = '<img src=x onerror="window.__pwned=1"> **bold** [[STE]]';
  await page.goto('/');
  await page.getByRole('button', { name: 'Skip' }).click();
  await page.getByTestId('timeline-op-5').locator('.tl-main').click();
  await page.getByRole('button', { name: 'Add a note' }).click();
  await page.getByRole('textbox', { name: 'Note at this moment' }).fill(hostile);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const here = page.getByTestId('notes-here');
  await expect(here).toContainText('<img src=x onerror="window.__pwned=1">');
  // Let the debounced URL sync write the link, then open it elsewhere.
  await expect.poll(() => page.url()).toContain('#s=');
  await page.waitForTimeout(700);
  const url = page.url();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await expect(other.getByTestId('timeline-op-5').locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
  const note = other.getByTestId('notes-here');
  await expect(note).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(note.locator('strong')).toHaveText('bold');
  await expect(note.locator('dfn')).toHaveText('STE');
  await expect(note.locator('img')).toHaveCount(0);
  expect(await other.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await fresh.close();
});

test('a tour of my own, written at two moments, plays from its link in a fresh context', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Skip' }).click();
  const dock = page.getByTestId('learn-dock');
  for (const [op, text] of [
    [3, 'first: the GPU is probed'],
    [12, 'second: attached'],
  ] as const) {
    await page.getByTestId(`timeline-op-${op}`).locator('.tl-main').click();
    await dock.getByRole('button', { name: 'Add a note' }).click();
    await dock.getByRole('textbox', { name: 'Note at this moment' }).fill(text);
    await dock.getByRole('checkbox', { name: /next stop of My tour/ }).check();
    await dock.getByRole('button', { name: 'Save', exact: true }).click();
  }
  await page.waitForTimeout(700);
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(page.url());
  const d2 = other.getByTestId('learn-dock');
  await d2.getByRole('button', { name: /^Tours/ }).click();
  await d2.getByRole('button', { name: 'My tour' }).click();
  const nar = other.getByTestId('narration');
  await expect(other.getByTestId('narration-count')).toHaveText('Stop 1 of 2');
  await expect(other.getByTestId('narration-text')).toHaveText('first: the GPU is probed');
  await expect(other.getByTestId('timeline-op-3').locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
  await nar.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(other.getByTestId('narration-text')).toHaveText('second: attached');
  await expect(other.getByTestId('timeline-op-12').locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
  // The glossary lists the terms with their citations.
  await nar.getByRole('button', { name: 'Finish', exact: true }).click();
  await d2.getByRole('button', { name: 'Glossary' }).click();
  await expect(other.getByTestId('glossary')).toContainText('Stream Table Entry');
  await expect(other.getByTestId('glossary')).toContainText('spec §5.2');
  await fresh.close();
});

test('the embed view at 800×450 shows the moment and no editing controls', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 450 });
  const link = encodeLink({ ...seedStory, cursor: { op: 19, step: 2 } });
  await page.goto(`/?embed=1${link}`);
  const embed = page.getByTestId('embed');
  await expect(embed).toBeVisible();
  await expect(embed).toContainText('op 20');
  // The stepper is at the link's step of the GPU's access.
  await expect(page.locator('[aria-current="step"]').first()).toBeVisible();
  // The chain is drawn: the GPU's stream is on the diagram.
  await expect(page.getByRole('main', { name: 'Diagram' })).toContainText('gpu');
  // No editing chrome: no timeline, no forms, no share, no learn dock.
  for (const id of ['learn-dock', 'share-button', 'timeline-op-0', 'inspector'])
    await expect(page.getByTestId(id)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Add an op|Add a note/ })).toHaveCount(0);
  const open = page.getByRole('link', { name: 'Open in SVA Explorer' });
  await expect(open).toHaveAttribute(
    'href',
    new RegExp(`/${link.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  );
  // The embed never writes the visitor's saved work.
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});

test('no serious or critical accessibility violations in the narration and glossary', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Take the tour' }).click();
  await page.getByTestId('narration').getByRole('button', { name: 'Next', exact: true }).click();
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    const r = await new AxeBuilder({ page }).include('[data-testid="learn-dock"]').analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${theme}: ${v.id}`)).toEqual([]);
  }
  await page.getByTestId('narration').getByRole('button', { name: 'Close the tour' }).click();
  await page.getByTestId('learn-dock').getByRole('button', { name: 'Glossary' }).click();
  const r = await new AxeBuilder({ page }).include('[data-testid="learn-dock"]').analyze();
  expect(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
});
