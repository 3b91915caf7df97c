// Golden V1 in the page: a VM with an assigned accelerator. The VM is a region of the diagram
// (guest CD table, guest page tables, stage 2), the stepper plays the nested walk read by read
// (the CD fetch through stage 2, then 4 × (4 + 1) + 4 = 24 reads for two 4-level 4 KB stages) to
// its PA and back, and the inspector shows the physical STE beside the guest STE it came from.
// The lens (the default view) shows the nested dma's chain: the physical STE with the guest STE it
// came from, the guest CD at its IPA, each guest table level, the stage-2 tables, frame and VM.
import { expect, test, type Page } from '@playwright/test';
import { chainIsVisible, minFont } from './lensFacts.ts';

async function openV1(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('examples').selectOption('vm-nested');
  await page.getByTestId('timeline-op-12').click();
}

/** The host PA of guest IPA 0, read from the VM card's RAM line ("IPA 0x0–… → PA 0x…"). */
async function ramPa(page: Page): Promise<bigint> {
  const text = (await page.getByTestId('vm-guest').textContent()) ?? '';
  const m = /→ PA (0x[0-9a-f_]+)/.exec(text);
  if (!m) throw new Error(`no RAM line in "${text}"`);
  return BigInt(m[1]!.replaceAll('_', ''));
}

test('the VM region holds the guest CD table, the guest tree and stage 2', async ({ page }) => {
  // The whole-diagram view draws the VM as a region around the guest's structures.
  await page.addInitScript(() => localStorage.setItem('sva.diagram.mode', 'all'));
  await openV1(page);
  const vm = page.getByTestId('vm-guest');
  await expect(vm).toContainText('VM guest');
  await expect(vm).toContainText('VMID 1');
  await expect(page.getByTestId('vsmmu-vsmmu0')).toContainText('vSID 0x10 → accel (SID 0x300)');
  for (const id of ['vcdt-guest-768', 'vtree-guest-10000', 's2-guest'])
    await expect(page.getByTestId(id)).toBeAttached();
  await expect(page.getByTestId('vtree-guest-10000')).toContainText('GUEST stage 1');
  await expect(page.getByTestId('s2-guest')).toContainText('STAGE 2');
});

test('the stepper plays the nested walk read by read to its PA, and back', async ({ page }) => {
  test.setTimeout(120_000); // 35 steps, each clicked and checked, on a shared machine
  await openV1(page);
  const pa = await ramPa(page);
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await expect(page.getByTestId('step-counter')).toHaveText(/^step 1 \/ \d+$/);
  const of = Number(((await page.getByTestId('step-counter').textContent()) ?? '').split('/ ')[1]);
  const titles: string[] = [];
  for (let i = 1; i < of; i++) {
    titles.push((await page.getByTestId('step-title').textContent()) ?? '');
    await page.getByTestId('step-next').click();
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${i + 1} / ${of}`);
  }
  const count = (re: RegExp) => titles.filter((t) => re.test(t)).length;
  // The CD fetch is itself a stage-2 walk (4 reads, class CD) before the CD is read.
  expect(count(/^stage 2 \(CD\) L[0-3] descriptor$/)).toBe(4);
  expect(titles.indexOf('cd')).toBe(titles.lastIndexOf('stage 2 (CD) L3 descriptor') + 1);
  // Each of the 4 guest table reads opens its stage-2 walk (4 × 4, class TT), then the output
  // IPA's own stage-2 walk (4, class IN): 24 reads in all.
  const s1 = count(/^L[0-3] descriptor$/);
  const tt = count(/^stage 2 \(TT\) L[0-3] descriptor$/);
  const inp = count(/^stage 2 \(IN\) L[0-3] descriptor$/);
  expect([s1, tt, inp, s1 + tt + inp]).toEqual([4, 16, 4, 24]);
  // The guest's leaf maps VA page 0x7fff_dead_b000 at IPA 0x2_0000; stage 2 puts IPA 0 at `pa`.
  await expect(page.getByTestId('step-note')).toHaveText(
    `translated: PA 0x${(pa + 0x2_0123n).toString(16)}`,
  );
  await expect(page.getByTestId('step-next')).toBeDisabled();
  // Back through the last reads, each the step it was on the way there.
  for (let i = of - 1; i > of - 6; i--) {
    await page.getByTestId('step-prev').click();
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${i} / ${of}`);
    await expect(page.getByTestId('step-title')).toHaveText(titles[i - 1]!);
  }
  await page.getByTestId('step-start').click();
  await expect(page.getByTestId('step-counter')).toHaveText(`step 1 / ${of}`);
  await expect(page.getByTestId('step-prev')).toBeDisabled();
});

test('the inspector shows the physical STE beside the guest STE, by owner', async ({ page }) => {
  await openV1(page);
  const ste = page.getByTestId('ste-768');
  await ste.focus();
  await ste.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('STE 0x300 (accel)');
  // The physical STE: Config 0b111 (nested).
  await expect(page.getByTestId('inspector-field-Config-value')).toHaveText('0x7');
  const nested = page.getByTestId('nested-ste');
  await expect(nested).toContainText('Built from a guest STE: accel in VM guest');
  await expect(page.getByTestId('nested-guest-dw0')).toHaveText(/^0x2000_?0000_?0000_?800b$/);
  await expect(page.getByTestId('nested-field-Config')).toHaveAttribute('data-owner', 'host');
  await expect(page.getByTestId('nested-field-S1ContextPtr')).toHaveAttribute(
    'data-owner',
    'guest',
  );
  await expect(page.getByTestId('nested-field-S1CDMax')).toHaveAttribute('data-owner', 'guest');
  await expect(page.getByTestId('nested-field-MEV')).toHaveAttribute('data-owner', 'host');
  await expect(page.getByTestId('nested-field-S2VMID')).toHaveAttribute('data-owner', 'host');
});

test('the guest relay lanes: an event to the guest event queue, a command from its command queue', async ({
  page,
}) => {
  await openV1(page);
  await page.getByRole('tab', { name: 'Stepper' }).click();
  // Op 12 translates: nothing crosses to the guest, so neither guest lane is drawn.
  await expect(page.getByTestId('lane-guest-evtq')).toHaveCount(0);
  await expect(page.getByTestId('lane-guest-cmdq')).toHaveCount(0);
  // Op 13 faults: the host's event queue, then the record relayed to the guest's event queue.
  await page.getByTestId('timeline-op-13').click();
  await expect(page.getByTestId('lane-guest-evtq')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('lane-guest-evtq')).toHaveText('Guest event queue');
  await expect(page.getByTestId('lane-evtq')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('lane-guest-cmdq')).toHaveCount(0);
  // Op 16: the guest's TLBI_NH_ASID, forwarded as the host's command + CMD_SYNC.
  await page.getByTestId('timeline-op-16').click();
  await expect(page.getByTestId('lane-guest-cmdq')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('lane-guest-cmdq')).toHaveText('Guest command queue');
  await expect(page.getByTestId('lane-cmdq')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('lane-guest-evtq')).toHaveCount(0);
});

test('the lens shows the nested chain, every read the engine made on screen', async ({ page }) => {
  await page.goto('/?bench');
  await page.getByTestId('examples').selectOption('vm-nested');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByTestId('timeline-op-12').click();
  await page.waitForTimeout(400);
  // The engine's record of op 12: the STE, the guest CD (read at the PA of its IPA), every
  // stage-1 and stage-2 descriptor, and the translation's PA.
  const f = await page.evaluate(() => {
    type Step = { kind: string; pa?: bigint; ipa?: bigint; stage?: number };
    type Rec = {
      dma?: { pa?: bigint; attempts: { steps: Step[] }[] };
    };
    const s = (
      window as unknown as {
        __sva: { store: { getState(): { timeline: { records: Rec[] } } } };
      }
    ).__sva.store.getState();
    const r = s.timeline.records[12]!;
    const steps = r.dma!.attempts.flatMap((a) => a.steps);
    const hx = (v: bigint) => v.toString(16);
    return {
      ste: hx(steps.find((t) => t.kind === 'ste')!.pa!),
      // CD 1 is 64 bytes into the guest's linear CD table (SMMUv3 §5.4).
      tableIpa: hx(steps.find((t) => t.kind === 'cd')!.ipa! - 64n),
      s1: steps.filter((t) => t.kind === 'tt' && t.stage === 1).map((t) => hx(t.pa! & ~7n)),
      s2: [
        ...new Set(
          steps.filter((t) => t.kind === 'tt' && t.stage === 2).map((t) => hx(t.pa! & ~7n)),
        ),
      ],
      frame: hx(r.dma!.pa! & ~0xfffn),
    };
  });
  expect([f.s1.length, f.s2.length]).toEqual([4, 9]);
  const pane = page.getByTestId('diagram');
  await chainIsVisible(pane, [
    '[data-testid="ste-768"]',
    '[data-testid="guest-ste-768"]',
    '[data-testid="vcdt-guest-768"]',
    '[data-testid="vcd-guest-768-1"]',
    ...[...f.s1, ...f.s2].map((pa) => `[data-testid="entry-${pa}"]`),
    '[data-testid="s2-guest"]',
    '[data-testid^="run-"]',
    '[data-testid="vm-guest"]',
  ]);
  await expect(page.getByTestId('guest-ste-768')).toHaveText('from guest STE vSID 0x10');
  const grouped = f.tableIpa.replace(/\B(?=(?:[0-9a-f]{4})+$)/g, '_');
  await expect(page.getByTestId('vcdt-guest-768')).toContainText(`IPA 0x${grouped} → PA`);
  const runs = (await page.locator('[data-testid^="run-"]').allTextContents()).join(' ');
  expect(runs.replaceAll('_', '')).toContain(`0x${f.frame}`);
  const font = await minFont(page);
  expect(font.min, font.what).toBeGreaterThanOrEqual(11);
});
