// The lens (issue 10): with no interaction, the diagram pane shows the whole chain of the op at
// the cursor — device, STE, CD row, each table level the walk read, the frame, the owner — inside
// the viewport, with no diagram text under 11 CSS px. The chain is taken from the engine's own
// trace of the dma (window.__sva with ?bench), not from what the markup says about itself.
import { expect, test, type Page } from '@playwright/test';
import { chainIsVisible, minFont } from './lensFacts.ts';

interface ChainFacts {
  readonly dma: boolean;
  readonly proc: string | undefined;
  readonly cpuFrame: string | undefined;
  readonly dev: string;
  readonly ste: string;
  readonly cd: string | undefined;
  readonly walk: readonly string[];
  readonly frame: string | undefined;
}

/** The engine's record of the op at the cursor (or op `at`), read through the debug hook. */
async function chainFacts(page: Page, at?: number): Promise<ChainFacts> {
  return page.evaluate((at) => {
    type Step = { kind: string; pa?: bigint; stage?: number };
    type Rec = {
      op: { op: string; dev?: string; proc?: string };
      message?: string;
      dma?: {
        pa?: bigint;
        attempts: { steps: Step[] }[];
      };
    };
    const s = (
      window as unknown as {
        __sva: {
          store: {
            getState(): {
              cursor: { op: number };
              timeline: { records: Rec[] };
              setCursor?: unknown;
            };
          };
        };
      }
    ).__sva.store.getState();
    const op = at ?? s.cursor.op;
    const r = s.timeline.records[op]!;
    const steps = r.dma?.attempts.flatMap((a) => a.steps) ?? [];
    const hx = (v: bigint) => v.toString(16);
    const ste = steps.find((t) => t.kind === 'ste');
    const cd = steps.find((t) => t.kind === 'cd');
    const walk = steps.filter((t) => t.kind === 'tt' && t.stage === 1).map((t) => hx(t.pa! & ~7n));
    // The PA the dma reached (DmaResult.pa): its page is the frame the chain ends in.
    const last = r.dma;
    // A CPU access (touch) has no SMMU trace: its PA is in the record's message.
    const cpuPa = /PA (0x[0-9a-f_]+)/.exec(r.message ?? '')?.[1]?.replace(/_/g, '');
    return {
      dma: r.dma !== undefined,
      proc: r.op.proc,
      cpuFrame: cpuPa ? hx(BigInt(cpuPa) & ~0xfffn) : undefined,
      dev: r.op.dev ?? '',
      ste: ste ? hx(ste.pa!) : '',
      cd: cd ? hx(cd.pa!) : undefined,
      walk,
      frame: last?.pa !== undefined ? hx(last.pa & ~0xfffn) : undefined,
    };
  }, at);
}

/** The pane's visible rectangle. */
/** `sel`'s first match is drawn inside the diagram pane. */
const inside = (page: Page, sel: string): Promise<void> =>
  chainIsVisible(page.getByTestId('diagram'), [sel]);

async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(400);
}

async function expectChainVisible(page: Page, f: ChainFacts): Promise<void> {
  if (f.dma) {
    await inside(page, '[data-testid="strtab"]');
    await inside(page, `[data-testid^="ste-"]:has-text("${f.dev}")`);
    if (f.cd) await inside(page, '[data-testid="cdtable-' + '"], [data-testid^="cd-"]');
  } else if (f.proc) await inside(page, `[data-testid="proc-${f.proc}"]`);
  for (const pa of f.walk) await inside(page, `[data-testid="entry-${pa}"]`);
  const frame = f.frame ?? f.cpuFrame;
  if (frame) {
    // The frame's address as the page prints it (hex, grouped by underscores).
    const runs = page.locator('[data-testid^="run-"]');
    const texts = (await runs.allTextContents()).map((t) => t.replace(/_/g, ''));
    expect(texts.some((t) => t.includes(`0x${frame}`))).toBe(true);
    await inside(page, '[data-testid^="run-"]');
  }
  await inside(page, '[data-testid^="proc-"], [data-testid^="dom-"]');
  const font = await minFont(page);
  expect(font.min, font.what).toBeGreaterThanOrEqual(11);
}

for (const [w, h] of [
  [1280, 720],
  [1920, 1080],
] as const)
  for (const scheme of ['light', 'dark'] as const)
    test(`the default scenario's chain fits at ${w}×${h} (${scheme})`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/?bench');
      await expect(page.getByTestId('strtab')).toBeVisible();
      await settle(page);
      const f = await chainFacts(page);
      await page.screenshot({ path: `test-results/lens-${w}x${h}-${scheme}.png` });
      await expectChainVisible(page, f);
    });

test('a 4-level walk: every level the engine read is on screen', async ({ page }) => {
  await page.goto('/?bench');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill('26');
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 26: dma accel/);
  await settle(page);
  const f = await chainFacts(page, 26);
  expect(f.walk).toHaveLength(4);
  await page.screenshot({ path: 'test-results/lens-walk.png' });
  await expectChainVisible(page, f);
});

async function atWalk(page: Page): Promise<ChainFacts> {
  await page.goto('/?bench');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill('26');
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 26: dma accel/);
  await settle(page);
  return chainFacts(page, 26);
}

const overview = (page: Page) => page.getByRole('navigation', { name: 'Overview' });

test('selecting a CD row or a process focuses its chain; "back to the op" returns', async ({
  page,
}) => {
  await atWalk(page);
  await page.locator('[data-testid^="cd-accel"]').first().click();
  await expect(overview(page)).toContainText('Focus: CD 3 of accel-dom');
  // The CD's chain: its tree, but no walk (no address in focus).
  await expect(page.locator('.dg-walk')).toHaveCount(0);
  await page.getByTestId('focus-proc-ml').click();
  await expect(overview(page)).toContainText('Focus: process ml');
  await overview(page).getByRole('button', { name: 'back to the op' }).click();
  await expect(overview(page)).toContainText('Focus: the op at the cursor');
  await expect(page.locator('.dg-walk')).toHaveCount(4);
});

test('folded summaries expand on demand and fold again', async ({ page }) => {
  await atWalk(page);
  const streams = page.locator('[data-testid^="ste-"]');
  await expect(streams).toHaveCount(1);
  const more = page.getByTestId('fold-streams');
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  // By keyboard: a summary under the fold may lie outside the pane; focusing it brings it in.
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(streams).toHaveCount(5);
  await page.getByTestId('fold-streams').focus();
  await page.keyboard.press('Enter');
  await expect(streams).toHaveCount(1);
  // A chain table's other rows: "… 1 more CD" opens the CD table's rows.
  const cds = page.locator('[data-testid^="cd-accel-dom"]');
  const before = await cds.count();
  await page.getByTestId('fold-cdtable-accel-dom').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => cds.count()).toBeGreaterThan(before);
  // The overview opens a kind too.
  await overview(page)
    .getByRole('button', { name: /^processes 1\/3/ })
    .click();
  await expect(page.locator('[data-testid^="proc-"]')).toHaveCount(3);
});

test('Fit brings the chain back; zooming out turns cards into lines, text stays ≥ 11 px', async ({
  page,
}) => {
  const f = await atWalk(page);
  const canvas = page.getByTestId('diagram');
  await canvas.focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await settle(page);
  await page.getByRole('button', { name: 'Fit the chain in focus' }).click();
  await settle(page);
  await expectChainVisible(page, f);
  await canvas.focus();
  await page.keyboard.press('-');
  await expect(page.locator('.dg-detail')).toHaveText('summary');
  await settle(page);
  expect((await minFont(page)).min).toBeGreaterThanOrEqual(11);
  await page.screenshot({ path: 'test-results/lens-summary.png' });
  await page.keyboard.press('+');
  await expect(page.locator('.dg-detail')).toHaveText('cards');
});
