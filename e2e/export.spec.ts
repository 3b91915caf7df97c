// Pictures (issue 14): the Share dialog exports the diagram and the stepper's lanes at the cursor
// as SVG and PNG, light or dark. On the seed story at op 26 (the accelerator's 4-level walk of VA
// 0x7f00_0000_0000 under PASID 3) the exported SVG must parse, stand alone (no class, no
// stylesheet: a blank page draws it in the page's colours) and hold the walk's labels, each
// computed here from the op's trace words by the spec's field layouts, not read from the page.
import './onDemand.ts';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openTimeline, parseScenario } from '../src/scenario/index.ts';
import { seedStory } from '../src/scenario/presets/seedStory.ts';

test.describe.configure({ timeout: 90_000 });

const WALK_OP = 26;

/** Hex grouped by 4 digits from the right, as the diagram writes addresses. */
const grouped = (v: bigint): string => '0x' + v.toString(16).replace(/\B(?=([0-9a-f]{4})+$)/g, '_');

/** The labels the chain of op 26 must show, from its trace's raw words. */
function walkLabels(): string[] {
  const p = parseScenario(seedStory);
  if (!p.ok) throw new Error(p.error);
  const o = openTimeline(p.scenario);
  if (!o.ok) throw new Error(o.error);
  const r = o.timeline.records[WALK_OP]!;
  expect(r.op.op).toBe('dma');
  // The reads of the walk: the structure read, its address's words, the input field indexed.
  type Read = { kind: string; value?: readonly bigint[]; input?: { value: bigint } };
  const steps = r.dma!.attempts[0]!.steps as readonly Read[];
  const word = (kind: string, i = 0) => steps.find((s) => s.kind === kind)!.value![i]!;
  const sid = steps.find((s) => s.kind === 'ste')!.input!.value;
  // L1STD.L2Ptr is bits [51:6]; CD.TTB0 bits [51:4] of word 1; a table descriptor's next-level
  // address bits [47:12] (4K granule).
  const l2 = word('l1std') & 0x000f_ffff_ffff_ffc0n;
  const ttb0 = word('cd', 1) & 0x000f_ffff_ffff_fff0n;
  const next = steps
    .filter((s) => s.kind === 'tt')
    .map((s) => `→ ${grouped(s.value![0]! & 0x0000_ffff_ffff_f000n)}`);
  expect(next).toHaveLength(4);
  return [
    'dev' in r.op ? String(r.op.dev) : '?',
    `SID 0x${sid.toString(16)}`,
    `L1STD[${Number(sid >> 8n)}] → ${grouped(l2)}`,
    grouped(ttb0),
    ...next,
  ];
}

async function openAt(page: Page, op: number) {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill(String(op));
  await expect(page.getByTestId('time-moment')).toHaveText(new RegExp(`^op ${op}: dma`));
}

/** Exports through the Share dialog; returns the file's name and bytes. */
async function exportFile(page: Page, what: string, theme: string, format: 'SVG' | 'PNG') {
  if (!(await page.getByTestId('share-dialog').isVisible()))
    await page.getByTestId('share-button').click();
  await page.getByTestId('picture-what').selectOption(what);
  await page.getByTestId('picture-theme').selectOption(theme);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Export ${format}` }).click(),
  ]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

/** Parses SVG text in the browser: the parse error if any, every text, the background fill. */
async function parse(page: Page, svg: string) {
  return page.evaluate((text) => {
    const d = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: d.querySelector('parsererror')?.textContent ?? null,
      root: d.documentElement.localName,
      texts: [...d.querySelectorAll('text, tspan')].map((t) => t.textContent ?? ''),
      classes: d.querySelectorAll('[class]').length,
      background: d.querySelector(':root > rect')?.getAttribute('fill') ?? '',
    };
  }, svg);
}

const luminance = (rgb: string): number => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
};

test('the diagram exports as a stand-alone SVG holding the walk at the cursor', async ({
  page,
  browser,
}) => {
  const labels = walkLabels();
  await openAt(page, WALK_OP);
  const light = await exportFile(page, 'diagram', 'light', 'SVG');
  expect(light.name).toMatch(/-diagram-light\.svg$/);
  const svg = light.bytes.toString('utf8');
  const parsed = await parse(page, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.classes).toBe(0);
  const all = parsed.texts.join('\n');
  for (const l of labels) expect(all, l).toContain(l);

  // Stands alone: a blank page with no stylesheet draws the device's name in the colour and
  // font size the app gives it.
  const onPage = await page.evaluate((name) => {
    const t = [...document.querySelectorAll('svg[data-testid="diagram-svg"] text')].find(
      (e) => e.textContent === name,
    )!;
    const cs = getComputedStyle(t);
    return { fill: cs.fill, size: cs.fontSize, weight: cs.fontWeight };
  }, labels[0]!);
  const blank = await browser.newPage();
  await blank.setContent(`<!doctype html><body>${svg}</body>`);
  const alone = await blank.evaluate((name) => {
    const t = [...document.querySelectorAll('text')].find((e) => e.textContent === name)!;
    const cs = getComputedStyle(t);
    return { fill: cs.fill, size: cs.fontSize, weight: cs.fontWeight };
  }, labels[0]!);
  await blank.close();
  expect(alone).toEqual(onPage);

  // Dark: the same labels on a darker background.
  const dark = await exportFile(page, 'diagram', 'dark', 'SVG');
  const d = await parse(page, dark.bytes.toString('utf8'));
  expect(d.error).toBeNull();
  for (const l of labels) expect(d.texts.join('\n')).toContain(l);
  expect(luminance(d.background)).toBeLessThan(luminance(parsed.background) - 100);
  // The page's own theme is as it was.
  expect(await page.evaluate(() => document.documentElement.dataset['theme'] ?? 'system')).toBe(
    'system',
  );

  // PNG: a real PNG, twice the SVG's size.
  const png = await exportFile(page, 'diagram', 'light', 'PNG');
  expect(png.name).toMatch(/-diagram-light\.png$/);
  expect(png.bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
  expect(png.bytes.readUInt32BE(16)).toBe(width * 2);
});

test('the stepper lanes export as SVG and PNG', async ({ page }) => {
  await openAt(page, WALK_OP);
  const steps = Number(
    /\/ (\d+)$/.exec((await page.getByTestId('step-counter').textContent())!)![1],
  );
  const lanes = await exportFile(page, 'lanes', 'dark', 'SVG');
  expect(lanes.name).toMatch(/-lanes-dark\.svg$/);
  const text = lanes.bytes.toString('utf8');
  const p = await parse(page, text);
  expect(p.error).toBeNull();
  for (const l of ['Device', 'SMMU', 'Tables in memory']) expect(p.texts).toContain(l);
  // One marker per step, as the page draws them.
  const markers = await page.evaluate(
    (t) =>
      new DOMParser()
        .parseFromString(t, 'image/svg+xml')
        .querySelectorAll('[data-testid^="flow-step-"]').length,
    text,
  );
  expect(markers).toBe(steps);
  const png = await exportFile(page, 'lanes', 'light', 'PNG');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
});

test('the lanes need the Stepper tab; the export says so', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Queues' }).click();
  await page.getByTestId('share-button').click();
  await page.getByTestId('picture-what').selectOption('lanes');
  await page.getByRole('button', { name: 'Export SVG' }).click();
  await expect(page.getByTestId('picture-status')).toHaveText(/Open the Stepper tab first/);
});

/** The GIF's logical screen size and its frames (image descriptors), walked block by block. */
function gifFrames(b: Buffer): { w: number; h: number; frames: number } {
  let pos = 13;
  const table = (packed: number) => ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const subBlocks = () => {
    while (b[pos]! !== 0) pos += b[pos]! + 1;
    pos++;
  };
  pos += table(b[10]!);
  let frames = 0;
  for (;;) {
    const tag = b[pos]!;
    if (tag === 0x3b) break; // trailer
    if (tag === 0x21) {
      pos += 2; // extension introducer and label
      subBlocks();
    } else if (tag === 0x2c) {
      frames++;
      pos += 10 + table(b[pos + 9]!) + 1; // descriptor, local table, LZW minimum code size
      subBlocks();
    } else throw new Error(`unexpected GIF block 0x${tag.toString(16)} at ${pos}`);
  }
  return { w: b.readUInt16LE(6), h: b.readUInt16LE(8), frames };
}

test('three steps of the walk export as a GIF of three frames', async ({ page }) => {
  await openAt(page, WALK_OP);
  const counter = page.getByTestId('step-counter');
  const before = await counter.innerText();
  await page.getByTestId('share-button').click();
  await page.getByTestId('gif-from').fill('2');
  await page.getByTestId('gif-to').fill('4');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export GIF' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/-steps-2-4-(light|dark)\.gif$/);
  const gif = readFileSync(await download.path());
  expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const g = gifFrames(gif);
  expect(g.frames).toBe(3);
  expect(g.w).toBeGreaterThan(100);
  expect(g.h).toBeGreaterThan(100);
  await expect(page.getByTestId('gif-status')).toHaveText('GIF of steps 2–4 saved.');
  // The stepper is back on the step it showed.
  await expect(counter).toHaveText(before);
});
