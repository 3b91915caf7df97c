// Issue 10's acceptance for the lens, in every layout (1280×720 and 1920×1080, light and dark) and
// on three scenarios: the default one, one opened from a share link at a 4-level walk, and the
// stress example. The chain of the op at the cursor — the device's STE, the CD of its PASID, each
// descriptor the walk read (with the address it points at), the frame, the owner — must be inside
// the diagram pane with no text under 11 px, and axe must find nothing serious in the diagram.
// What the chain is comes from the engine's own record of the op (window.__sva with ?bench), not
// from the markup. Theme "System" follows the browser's colour scheme, also when it changes.
import './onDemand.ts';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { seedStory } from '../src/scenario/presets/seedStory.ts';
import { encodeLink } from '../src/share/index.ts';
import { chainIsVisible, minFont } from './lensFacts.ts';

interface Facts {
  readonly op: string;
  /** A dma's device and PASID (a CPU access has none: its process is the owner). */
  readonly dev: string | undefined;
  readonly sid: number | undefined;
  readonly pasid: number;
  readonly proc: string | undefined;
  /** Each stage-1 descriptor read: its PA and the address it holds (next table or page). */
  readonly walk: readonly { pa: string; out: string }[];
  readonly frame: string;
}

/**
 * The engine's account of op `at`, through the debug hook: a dma's STE, walk and PA from its
 * trace; a CPU access (touch) walked here, in the test, through the process's page tables in the
 * world's memory after the op (4 KB granule, 48-bit VA: level L indexes VA[47−9L : 39−9L]).
 */
async function facts(page: Page, at: number): Promise<Facts> {
  return page.evaluate((at) => {
    type Step = { kind: string; pa?: bigint; value?: bigint[]; stage?: number };
    type Rec = {
      op: { op: string; dev?: string; pasid?: number; proc?: string; addr?: bigint };
      dma?: { pa?: bigint; attempts: { steps: Step[] }[] };
    };
    type World = {
      mem: { read64(pa: bigint): bigint | undefined };
      kernel?: {
        devices: Map<string, { sid: number }>;
        processes: Map<string, { mm: { pgd: bigint } }>;
      };
    };
    const s = (
      window as unknown as {
        __sva: {
          store: {
            getState(): { timeline: { records: Rec[]; stateAt(i: number): World } };
          };
        };
      }
    ).__sva.store.getState();
    const r = s.timeline.records[at]!;
    const w = s.timeline.stateAt(at + 1);
    const hx = (v: bigint) => v.toString(16);
    // A table or page descriptor's output address, bits [47:12] (4 KB granule, VMSAv8-64).
    const out = (d: bigint) => d & 0xffff_ffff_f000n;
    if (r.dma) {
      const steps = r.dma.attempts.at(-1)!.steps;
      return {
        op: r.op.op,
        dev: r.op.dev,
        sid: w.kernel!.devices.get(r.op.dev!)!.sid,
        pasid: r.op.pasid ?? 0,
        proc: undefined,
        walk: steps
          .filter((t) => t.kind === 'tt' && t.stage === 1)
          .map((t) => ({ pa: hx(t.pa! & ~7n), out: hx(out(t.value![0]!)) })),
        frame: hx(r.dma.pa! & ~0xfffn),
      };
    }
    const va = r.op.addr!;
    let table = w.kernel!.processes.get(r.op.proc!)!.mm.pgd;
    const walk: { pa: string; out: string }[] = [];
    for (let l = 0; l < 4; l++) {
      const pa = table + ((va >> BigInt(39 - 9 * l)) & 0x1ffn) * 8n;
      table = out(w.mem.read64(pa) ?? 0n);
      walk.push({ pa: hx(pa), out: hx(table) });
    }
    return {
      op: r.op.op,
      dev: undefined,
      sid: undefined,
      pasid: 0,
      proc: r.op.proc,
      walk,
      frame: hx(table),
    };
  }, at);
}

/** The last op whose dma translated (the stress example's chain to look at). */
async function lastDma(page: Page): Promise<number> {
  return page.evaluate(() => {
    type Rec = { dma?: { pa?: bigint; attempts: { steps: { kind: string }[] }[] } };
    const s = (
      window as unknown as {
        __sva: { store: { getState(): { timeline: { records: Rec[] } } } };
      }
    ).__sva.store.getState();
    const rs = s.timeline.records;
    for (let i = rs.length - 1; i >= 0; i--)
      if (
        rs[i]!.dma?.pa !== undefined &&
        rs[i]!.dma!.attempts.at(-1)!.steps.some((t) => t.kind === 'tt')
      )
        return i;
    return -1;
  });
}

/** Puts the cursor on op `op` (after it, as a click on its timeline row does). */
async function moveTo(page: Page, op: number): Promise<void> {
  // Not in the stepper: there the diagram shows memory as it was at the step (before the op's
  // own writes, such as the page a PRI fault maps).
  await page.getByRole('tab', { name: 'Queues' }).click();
  await page.evaluate((op) => {
    (
      window as unknown as {
        __sva: { store: { getState(): { setCursor(op: number): void } } };
      }
    ).__sva.store
      .getState()
      .setCursor(op);
  }, op);
  await expect(page.getByText(`op #${op}: dma`)).toBeVisible();
  await page.waitForTimeout(400);
}

const noUnderscore = (s: string) => s.replaceAll('_', '').toLowerCase();

async function expectChain(page: Page, f: Facts): Promise<void> {
  const pane = page.getByTestId('diagram');
  const entries = f.walk.map((w) => `[data-testid="entry-${w.pa}"]`);
  const start =
    f.sid !== undefined
      ? [
          '[data-testid="strtab"]',
          `[data-testid="ste-${f.sid}"]`,
          `[data-testid^="cd-"][data-testid$="-${f.pasid}"]`,
        ]
      : [`[data-testid="proc-${f.proc}"]`];
  await chainIsVisible(pane, [
    ...start,
    ...entries,
    '[data-testid^="run-"]',
    '[data-testid^="proc-"], [data-testid^="dom-"]',
  ]);
  // Names and addresses: the device or process, each descriptor's output address, the frame.
  if (f.sid !== undefined) await expect(page.getByTestId(`ste-${f.sid}`)).toContainText(f.dev!);
  else await expect(page.getByTestId(`proc-${f.proc}`)).toContainText(f.proc!);
  for (const w of f.walk) {
    const row = page.locator(`[data-testid="entry-${w.pa}"]`);
    expect(noUnderscore((await row.textContent()) ?? ''), `entry ${w.pa}`).toContain(`0x${w.out}`);
  }
  const runs = await page.locator('[data-testid^="run-"]').allTextContents();
  expect(noUnderscore(runs.join(' '))).toContain(`0x${f.frame}`);
  const font = await minFont(page);
  expect(font.min, font.what).toBeGreaterThanOrEqual(11);
}

async function axeDiagram(page: Page): Promise<void> {
  const r = await new AxeBuilder({ page }).include('[data-testid="diagram"]').analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
}

// The default scenario cut after op 26 (accel reads 0x7f00_0000_0000 under PASID 3: a 4-level
// walk through ml's tables), its cursor at that op: what a shared link at a walk opens.
const linkDoc = { ...seedStory, ops: seedStory.ops.slice(0, 27), cursor: { op: 26, step: 0 } };
const link = encodeLink(linkDoc);

const scenarios: { name: string; open: (page: Page) => Promise<number> }[] = [
  {
    name: 'default',
    // As it opens: the cursor on its last op (ml touches its shared page, a CPU walk).
    open: async (page) => {
      await page.goto('/?bench');
      await expect(page.getByTestId('strtab')).toBeVisible();
      await page.waitForTimeout(400);
      return page.evaluate(
        () =>
          (
            window as unknown as {
              __sva: { store: { getState(): { cursor: { op: number } } } };
            }
          ).__sva.store.getState().cursor.op,
      );
    },
  },
  {
    name: 'link at a 4-level walk',
    open: async (page) => {
      await page.goto(`/?bench${link}`);
      await expect(page.getByText('27 ops')).toBeVisible();
      await page.waitForTimeout(400);
      return 26;
    },
  },
  {
    name: 'stress',
    open: async (page) => {
      await page.goto('/?bench');
      await page.getByTestId('examples').selectOption('stress');
      const n = await lastDma(page);
      await moveTo(page, n);
      return n;
    },
  },
];

for (const [w, h] of [
  [1280, 720],
  [1920, 1080],
] as const)
  for (const scheme of ['light', 'dark'] as const)
    for (const s of scenarios)
      test(`${s.name}: the chain is on screen at ${w}×${h} (${scheme}), axe clean`, async ({
        page,
      }) => {
        test.setTimeout(90_000);
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        const op = await s.open(page);
        const f = await facts(page, op);
        expect(f.walk).toHaveLength(4);
        await expectChain(page, f);
        await axeDiagram(page);
      });

test('theme "System" follows the colour scheme, also when it changes', async ({ page }) => {
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('system');
  const dark = await bg();
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(bg).not.toBe(dark);
  const light = await bg();
  // Light chosen, then System again, under a dark browser: dark.
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(bg).toBe(light);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
  await expect.poll(bg).toBe(dark);
  // The diagram's cards follow too.
  const card = await page.evaluate(() => {
    const r = document.querySelector('[data-testid="diagram-svg"] rect');
    return r ? getComputedStyle(r).fill : '';
  });
  expect(card).not.toBe('rgb(255, 255, 255)');
});
