// The stepper on the default scenario (the seed story). Op 26: the accelerator reads
// VA 0x7f00_0000_0000 under PASID 3, a full 4-level stage-1 walk; op 27: its write to
// 0x7f00_0000_2000 faults, goes through PRI, and the retry succeeds. At every walk step the level
// shown and the VA bits that index it are checked against the spec arithmetic computed here
// (4 KB granule, 48-bit VA: level L is indexed by VA[47−9L : 39−9L]), and each read's address
// against the previous descriptor's next-level table + index × 8.
import { expect, test, type Page } from '@playwright/test';

// These tests read the whole diagram (every structure), not the lens's chain in focus.
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('sva.diagram.mode', 'all'));
});

const VA = 0x7f00_0000_0000n;
const WALK_OP = 26;
const PRI_OP = 27;

const loField = (level: number) => 39 - 9 * level;
const indexAt = (va: bigint, level: number) => Number((va >> BigInt(loField(level))) & 0x1ffn);
const hx = (v: bigint | number) => `0x${v.toString(16)}`;

async function openStepper(page: Page, op: number) {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill(String(op));
  await expect(page.getByTestId('time-moment')).toHaveText(new RegExp(`^op ${op}: dma accel`));
}

async function counter(page: Page): Promise<{ at: number; of: number }> {
  const text = (await page.getByTestId('step-counter').textContent()) ?? '';
  const m = /^step (\d+) \/ (\d+)$/.exec(text);
  if (!m) throw new Error(`counter reads "${text}"`);
  return { at: Number(m[1]), of: Number(m[2]) };
}

/**
 * Checks the step shown. At a stage-1 descriptor read: the level, the highlighted VA field and
 * its value, every field's bit range, and the read address. Returns the next-level table (or
 * output address) the descriptor gives, for the next step's check.
 */
async function checkStep(
  page: Page,
  va: bigint,
  table: bigint | undefined,
): Promise<{ level?: number; next?: bigint }> {
  // One read of everything the step view shows (it renders in the same commit as the counter).
  const v = await page.evaluate(() => {
    const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    const level = q('step-level');
    const fields = Object.fromEntries(
      ['L0', 'L1', 'L2', 'L3', 'offset'].map((n) => {
        const f = q(`addr-field-${n}`);
        return [n, f ? { ...f.dataset } : undefined];
      }),
    );
    const dec = (n: string) => q(`step-decoded-field-${n}`)?.querySelector('td.mono')?.textContent;
    return {
      struct: level?.dataset.struct,
      level: level?.dataset.level,
      levelText: level?.textContent,
      input: q('addr-bits')?.dataset.input,
      bits: q('addr-bits')?.textContent,
      address: q('step-address')?.textContent,
      fields,
      next: dec('NextLevelTable'),
      out: dec('OutputAddress'),
      // The live diagram: the row marked as this step's, and the rows marked as read so far.
      marked: q('step-current')?.dataset.target,
      path: [...document.querySelectorAll<HTMLElement>('[data-testid="step-path-mark"]')].map(
        (e) => e.dataset.target,
      ),
    };
  });
  if (v.struct !== 'tt') return {};
  const l = Number(v.level);
  expect(v.levelText).toBe(`stage 1 · level ${l}`);
  expect(v.input).toBe('VA');
  for (let k = 0; k <= 3; k++)
    expect(v.fields[`L${k}`]).toMatchObject({
      hi: String(loField(k) + 8),
      lo: String(loField(k)),
      value: String(indexAt(va, k)),
      current: k === l ? 'true' : 'false',
    });
  expect(v.fields.offset).toMatchObject({ value: String(Number(va & 0xfffn)), current: 'false' });
  expect(v.bits).toContain(`VA[${loField(l) + 8}:${loField(l)}] = ${indexAt(va, l)}`);
  // The word read is the table's entry: base + index × 8.
  if (table !== undefined) {
    const pa = table + BigInt(indexAt(va, l)) * 8n;
    expect(v.address).toBe(`Read at ${hx(table)} + ${indexAt(va, l)} × 8 = ${hx(pa)}`);
    // The diagram marks that descriptor's row (its table page opened), at the end of the path.
    expect(v.marked).toBe(`entry-${pa.toString(16)}`);
    expect(v.path[v.path.length - 1]).toBe(`entry-${pa.toString(16)}`);
  }
  const next = l < 3 ? v.next : v.out;
  return { level: l, next: BigInt(next ?? '0') << 12n };
}

/** Reads the current walk's table base from the TTB0 decision (the step before L0). */
async function ttb0(page: Page): Promise<bigint> {
  const note = (await page.getByTestId('step-note').textContent()) ?? '';
  const m = /table (0x[0-9a-f]+)/.exec(note);
  if (!m) throw new Error(`no table in "${note}"`);
  return BigInt(m[1]!);
}

test('a 4-level walk, forward to the PA and back: levels and VA index bits', async ({ page }) => {
  test.slow(); // ~25 steps each way, each checked
  await openStepper(page, WALK_OP);
  const { of } = await counter(page);
  expect(of).toBeGreaterThan(8);
  await expect(page.getByTestId('step-counter')).toHaveText(`step 1 / ${of}`);
  await expect(page.getByTestId('step-prev')).toBeDisabled();

  const seen: number[] = [];
  const tables = new Map<number, bigint>();
  let table: bigint | undefined;
  let out: bigint | undefined;
  for (let i = 1; i < of; i++) {
    await page.getByTestId('step-next').click();
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${i + 1} / ${of}`);
    await expect(page.getByTestId(`flow-step-${i}`)).toHaveAttribute('data-current', 'true');
    const title = (await page.getByTestId('step-title').textContent()) ?? '';
    if (title === 'decision') table = await ttb0(page);
    const r = await checkStep(page, VA, table);
    if (r.level !== undefined) {
      seen.push(r.level);
      tables.set(r.level, table!);
      if (r.level < 3) table = r.next;
      else out = r.next;
    }
  }
  expect(seen).toEqual([0, 1, 2, 3]);
  // The path drawn in the diagram: the accel's STE (SID 0x100 = 256), L1CD[3 >> 10 = 0], CD 3,
  // then the four descriptors.
  const path = await page
    .getByTestId('step-path-mark')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.target));
  expect(path.slice(0, 3)).toEqual(['ste-256', 'l1cd-accel-dom-0', 'cd-accel-dom-3']);
  expect(path).toHaveLength(7);
  // The last step: the PA = the page's output address + VA[11:0].
  await expect(page.getByTestId('step-next')).toBeDisabled();
  await expect(page.getByTestId('step-note')).toHaveText(
    `translated: PA ${hx(out! + (VA & 0xfffn))}`,
  );

  // Back to the start, the same checks in reverse.
  const back: number[] = [];
  for (let i = of - 2; i >= 0; i--) {
    await page.getByTestId('step-prev').click();
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${i + 1} / ${of}`);
    const lvl = page.getByTestId('step-level');
    if ((await lvl.count()) && (await lvl.getAttribute('data-struct')) === 'tt') {
      const l = Number(await lvl.getAttribute('data-level'));
      back.push((await checkStep(page, VA, tables.get(l))).level!);
    }
  }
  expect(back).toEqual([3, 2, 1, 0]);
  await expect(page.getByTestId('step-counter')).toHaveText(`step 1 / ${of}`);
  await expect(page.getByTestId('flow-step-0')).toHaveAttribute('data-lane', 'device');
});

test('a PRI fault plays to its successful retry across the lanes', async ({ page }) => {
  await openStepper(page, PRI_OP);
  const { of } = await counter(page);
  await page.getByTestId('step-speed').selectOption('8');
  await page.getByTestId('step-play').click();
  await expect(page.getByTestId('step-play')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${of} / ${of}`, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('step-play')).toHaveAttribute('aria-pressed', 'false');

  // The lanes in the order they act: device → SMMU walk → PRI queue → kernel → tables (PTE
  // written) → command queue (CMD_PRI_RESP) → device retries → SMMU walk succeeds.
  const lanes: string[] = [];
  for (let i = 0; i < of; i++) {
    const l = (await page.getByTestId(`flow-step-${i}`).getAttribute('data-lane'))!;
    if (lanes[lanes.length - 1] !== l) lanes.push(l);
  }
  expect(lanes).toEqual([
    'device',
    'smmu',
    'priq',
    'kernel',
    'mm',
    'kernel',
    'cmdq',
    'device',
    'smmu',
  ]);
  for (const lane of ['priq', 'kernel', 'mm', 'cmdq'])
    await expect(page.getByTestId(`lane-${lane}`)).not.toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('step-note')).toHaveText(/^translated: PA 0x[0-9a-f]+$/);

  // The steps on the way, by the fault buttons and by clicking the lanes.
  await page.getByTestId('step-start').click();
  await page.getByTestId('next-fault').click();
  await expect(page.getByTestId('event-record')).toHaveAttribute('data-written', 'false');
  await expect(page.getByTestId('event-where')).toContainText('ATS translation denied');
  await expect(page.getByTestId('event-fields-dw0')).toHaveText(/^dw0 0x[0-9a-f]{16}$/);
  await expect(page.getByTestId('event-fields-dw3')).toBeVisible();
  await page.getByTestId('next-fault').click();
  await expect(page.getByTestId('step-title')).toHaveText('page request (PRG 0)');
  await expect(page.getByTestId('step-decoded-field-SubstreamID')).toContainText('0x3');
  const pte = page.locator('[data-testid^=flow-step-][data-lane=mm]').first();
  await pte.click();
  await expect(page.getByTestId('step-title')).toContainText('CPU page table');
  await expect(page.getByTestId('step-decoded-field-Valid')).toContainText('0x1');
  await page.locator('[data-testid^=flow-step-][data-lane=cmdq]').first().click();
  await expect(page.getByTestId('step-title')).toHaveText('CMD_PRI_RESP');
  await expect(page.getByTestId('step-note')).toContainText('answered Success');
  // The retried walk's L3 read: the page is there now.
  await page.getByTestId('step-end').click();
  await page.getByTestId('step-prev').click();
  await expect(page.getByTestId('step-level')).toHaveText('stage 1 · level 3');
  await expect(page.getByTestId('step-decoded-field-Valid')).toContainText('0x1');
});

test('scrubbing back: before the bind the accel has no PASID 3', async ({ page }) => {
  await page.goto('/');
  const panels = page.getByTestId('panels');
  await panels.getByRole('tab', { name: 'PASIDs' }).click();
  await expect(page.getByTestId('pasid-3')).toContainText(/shared\s*process\s*ml/);
  await panels.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill('24');
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 24: touch ml/);
  await panels.getByRole('tab', { name: 'PASIDs' }).click();
  await expect(page.getByTestId('pasid-1')).toBeVisible();
  await expect(page.getByTestId('pasid-3')).toHaveCount(0);
  await panels.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill('-1');
  await expect(page.getByTestId('stepper-empty')).toContainText('After boot');
  // Compare the moments before and after the bind: CD 3 of the accel table was written.
  await page.getByTestId('time-slider').fill('25');
  await page.getByTestId('compare-toggle').click();
  await expect(page.getByTestId('compare-a')).toHaveValue('24');
  await expect(page.getByTestId('compare-b')).toHaveValue('25');
  const cd = page.getByTestId('compare-group-cd');
  await expect(cd.getByTestId('compare-struct')).toContainText(/^CD 3 .*accel-dom/);
  // Named fields, not whole words: the CD became valid (CD.V, dw0 bit 31).
  await expect(cd.locator('[data-field="V"]')).toHaveText('V 0x0 → 0x1 (invalid → valid)');
  await expect(cd.locator('[data-field="TTB0"]')).toBeVisible();
  await page.getByTestId('compare-b').fill('26');
  await expect(page.getByTestId('compare-caches')).toContainText('TLB');
  await expect(page.getByTestId('compare-caches')).toContainText('ATC');
  // A wide comparison (STEs, CDs, page tables, caches) at 1280×720: the two columns side by side,
  // neither running into the other nor wider than itself.
  await page.getByTestId('compare-a').fill('20');
  await page.getByTestId('compare-b').fill('27');
  await expect(page.getByTestId('compare-group-stream')).toBeVisible();
  const cols = await page.evaluate(() =>
    ['compare-words', 'compare-caches'].map((id) => {
      const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!;
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, scroll: el.scrollWidth, client: el.clientWidth };
    }),
  );
  expect(cols[0]!.right).toBeLessThanOrEqual(cols[1]!.left);
  for (const c of cols) expect(c.scroll).toBeLessThanOrEqual(c.client);
});

test('keyboard only: the walk stepped with ←/→/Home/End', async ({ page }) => {
  test.slow(); // ~100 Tab presses to reach the panel
  await page.goto('/');
  await expect(page.getByTestId('app')).toBeVisible();
  // j/k move the cursor between ops: from the last op (28) back to 26.
  await page.keyboard.press('k');
  await page.keyboard.press('k');
  // Tab to the bottom panel's tab list and pick the Stepper (the first tab: Home).
  for (let i = 0; i < 400; i++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute('role'))) === 'tab') break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Stepper' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Tab'); // into the stepper's controls
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 26: dma accel/);
  const { of } = await counter(page);
  await page.keyboard.press('End');
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${of} / ${of}`);
  await expect(page.getByTestId('step-note')).toHaveText(/^translated: PA/);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('step-counter')).toHaveText(`step 1 / ${of}`);
  const levels: number[] = [];
  for (let i = 1; i < of; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${i + 1} / ${of}`);
    const r = await checkStep(page, VA, undefined);
    if (r.level !== undefined) levels.push(r.level);
  }
  expect(levels).toEqual([0, 1, 2, 3]);
  await page.keyboard.press('ArrowRight'); // already at the end: stays
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${of} / ${of}`);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('step-counter')).toHaveText(`step ${of - 3} / ${of}`);
  await expect(page.getByTestId('step-level')).toHaveText('stage 1 · level 1');
  await expect(page.getByTestId('addr-field-L1')).toHaveAttribute('data-current', 'true');
});

test('selecting a dma opens the stepper: a timeline row, then "DMA here"', async ({ page }) => {
  await page.goto('/');
  const panels = page.getByTestId('panels');
  const stepperTab = panels.getByRole('tab', { name: 'Stepper' });
  // The story ends with a CPU touch: the queues are shown first.
  await expect(panels.getByRole('tab', { name: 'Queues' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.getByTestId(`timeline-op-${WALK_OP}`).getByRole('button').first().click();
  await expect(stepperTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('step-counter')).toHaveText(/^step 1 \/ \d+$/);
  // A tab picked on that op stays picked.
  await panels.getByRole('tab', { name: 'Caches' }).click();
  await expect(panels.getByRole('tab', { name: 'Caches' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  // "DMA here" on CD 3 of the accelerator appends a dma and moves the cursor to it.
  // Focus pans the row into view (the diagram pane clips, it does not scroll).
  const row = page.getByTestId('menu-cd-accel-dom-3');
  await row.focus();
  await expect(row).toBeInViewport({ ratio: 0.9 });
  await row.click();
  await page
    .getByRole('menu')
    .getByRole('menuitem', { name: /DMA read by accel/ })
    .click();
  await expect(page.getByTestId('diagram-changes')).toContainText('op #29: dma');
  await expect(stepperTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 29: dma accel PASID 3/);
});
