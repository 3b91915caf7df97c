// Share links end to end (issue 6): a scenario built through the UI and stepped to the middle of
// a walk opens from its copied link in a fresh browser at the same step; bad links of every kind
// (truncated, future version, tampered, one whose scenario fails to run, one that asks for too
// much work) show a banner and leave the work as it was, also after a reload; work too large for
// a link stays in local storage with no fragment; JSON export then import gives the scenario back.
import './onDemand.ts';
import { expect, test, type Page } from '@playwright/test';
import { addOp } from './forms.ts';
import { readFileSync } from 'node:fs';
import type { OpDoc } from '../src/scenario/index.ts';
import { seedStory } from '../src/scenario/presets/seedStory.ts';
import { decodeLink, encodeLink } from '../src/share/index.ts';

// Generous: each added op replays the scenario, and the machines here have 2 shared cores.
test.describe.configure({ timeout: 90_000 });

const mine = {
  format: 'sva-explorer/scenario',
  version: 1,
  title: 'my own work',
  ops: [
    { op: 'process', name: 'bash' },
    { op: 'process', name: 'zsh' },
  ],
};
const title = (page: Page) => page.locator('.scenario-title');
const rows = (page: Page) => page.locator('[data-testid^="timeline-op-"]');

/** Loads a document through the Share dialog's paste box; waits for the debounced save. */
async function loadPasted(page: Page, doc: unknown) {
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-paste').fill(JSON.stringify(doc));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await page.waitForTimeout(600);
}

/** Everything the stepper shows about the current step, for comparing two pages. */
async function moment(page: Page) {
  return page.evaluate(() => {
    const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return {
      counter: q('step-counter')?.textContent,
      title: q('step-title')?.textContent,
      struct: q('step-level')?.dataset.struct,
      level: q('step-level')?.dataset.level,
      address: q('step-address')?.textContent,
      current: document
        .querySelector('[data-testid^="flow-step-"][data-current="true"]')
        ?.getAttribute('data-testid'),
      field: document
        .querySelector('[data-testid^="addr-field-"][data-current="true"]')
        ?.getAttribute('data-testid'),
    };
  });
}

test('a scenario built in the UI, stepped into a walk, opens at the same step from its link', async ({
  browser,
}) => {
  const a = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await a.newPage();
  await page.goto('/?empty');
  await expect(page.getByText('0 ops')).toBeVisible();
  await addOp(page, 'device', {
    Name: 'accel',
    StreamID: '0x100',
    Bus: 'pci',
    'PASID bits': '20',
    ATS: true,
    PRI: true,
  });
  await addOp(page, 'domain', { Name: 'accel-dom', Type: 'dma' });
  await addOp(page, 'attach', { Device: 'accel', Domain: 'accel-dom' });
  await addOp(page, 'process', { Name: 'game' });
  await addOp(page, 'mmap', {
    Process: 'game',
    Address: '0x7f00_0000_0000',
    Size: '0x1_0000',
    Protection: 'rw',
  });
  await addOp(page, 'touch', { Process: 'game', Address: '0x7f00_0000_0000', Access: 'w' });
  await addOp(page, 'bind', { Device: 'accel', Process: 'game', 'Page tables': 'shared' });
  await addOp(page, 'dma', {
    Device: 'accel',
    PASID: '1',
    Address: '0x7f00_0000_0040',
    Access: 'r',
  });
  await expect(page.getByText('8 ops')).toBeVisible();
  await expect(rows(page).nth(7)).toContainText('dma: translated');

  // The dma (the newest op, at the cursor) in the stepper: step to a level-2 read of its walk.
  await page.getByTestId('panels').getByRole('tab', { name: 'Stepper' }).click();
  await expect(page.getByTestId('time-moment')).toHaveText(/^op 7: dma accel/);
  const level = page.getByTestId('step-level');
  for (let i = 0; i < 30; i++) {
    if ((await level.count()) && (await level.getAttribute('data-level')) === '2') break;
    await page.getByTestId('step-next').click();
  }
  await expect(level).toHaveText('stage 1 · level 2');
  const here = await moment(page);
  // At a level-2 descriptor read the VA's L2 index field is the highlighted one (4 KB granule).
  expect(here).toMatchObject({ struct: 'tt', level: '2', field: 'addr-field-L2' });
  expect(here.address).toMatch(/^Read at 0x[0-9a-f]+ \+ \d+ × 8 = 0x[0-9a-f]+$/);
  const [, at, of] = /^step (\d+) \/ (\d+)$/.exec(here.counter ?? '') ?? [];
  expect(Number(at)).toBeGreaterThan(1);
  expect(Number(at)).toBeLessThan(Number(of)); // the middle of the walk, not its end

  // The fragment follows (debounced): the scenario and this op and step.
  await expect
    .poll(async () => {
      const d = decodeLink(await page.evaluate(() => location.hash));
      return d.ok ? [d.doc.ops.length, d.doc.cursor] : d.error;
    })
    .toEqual([8, { op: 7, step: Number(at) - 1 }]);

  await page.getByTestId('share-button').click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());
  const opRows = await rows(page).allTextContents();
  await a.close();

  // A fresh browser (no storage): the same ops, the same step, the same structure highlighted.
  const b = await browser.newContext();
  const fresh = await b.newPage();
  await fresh.goto(link);
  await expect(fresh.getByText('8 ops')).toBeVisible();
  expect(await rows(fresh).allTextContents()).toEqual(opRows);
  await expect(rows(fresh).nth(7).getByRole('button').first()).toHaveAttribute(
    'aria-current',
    'step',
  );
  await fresh.getByTestId('panels').getByRole('tab', { name: 'Stepper' }).click();
  await expect(fresh.getByTestId('step-counter')).toHaveText(here.counter!);
  expect(await moment(fresh)).toEqual(here);
  await expect(fresh.getByRole('alert')).toHaveCount(0);
  await b.close();
});

test('bad links show a banner and never replace the work, also after a reload', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await loadPasted(page, mine);
  await expect(title(page)).toHaveText('my own work');
  const good = encodeLink(seedStory);
  const failsToRun = encodeLink({
    ...seedStory,
    platform: { smmu: { streamTable: 'linear', sidBits: 32 } },
  });
  const touches: OpDoc[] = Array.from({ length: 100_000 }, () => ({
    op: 'touch',
    proc: 'ml',
    addr: '0x7f00_0000_0000',
    access: 'r',
  }));
  const bad: [string, RegExp][] = [
    [good.slice(0, 60), /damaged or truncated/],
    [good.replace('s=2.', 's=7.'), /the link is version 7; this page reads up to 2/],
    ['#s=1.%%%%', /not base64url/],
    ['#s=1.q1bKV7KKjlZKzs8rLikqTS7JL1KKja0FAA', /unknown op "constructor"/],
    [failsToRun, /The link was not opened: .+/],
    [
      encodeLink({ ...seedStory, ops: touches }),
      /the link has 100,000 ops; links may have at most 5,000/,
    ],
  ];
  for (const [link, why] of bad) {
    // Pasted into the open tab (a hashchange) …
    await page.goto(`/${link}`);
    await expect(page.getByRole('alert')).toContainText('The link was not opened');
    await expect(page.getByRole('alert')).toContainText(why);
    await expect(title(page)).toHaveText('my own work');
    // … and opened as a fresh load.
    const other = await context.newPage();
    await other.goto(`/${link}`);
    await expect(other.getByRole('alert')).toContainText(why);
    await expect(title(other)).toHaveText('my own work');
    await other.close();
  }
  await page.reload();
  await expect(title(page)).toHaveText('my own work');
  await page.goto('/');
  await expect(title(page)).toHaveText('my own work');
  // None of them reached Recent: it holds only the default the paste replaced.
  await page.getByTestId('share-button').click();
  await expect(page.locator('.share-recent li')).toHaveCount(1);
  await expect(page.locator('.share-recent li')).toContainText(seedStory.title!);
});

test('opening a link keeps the earlier work in Recent, restorable', async ({ page }) => {
  await page.goto('/');
  await loadPasted(page, mine);
  await page.goto(`/${encodeLink(seedStory)}`);
  await expect(title(page)).toHaveText(seedStory.title!);
  await expect(page.getByRole('alert')).toContainText('previous work is in Recent');
  if (!(await page.getByTestId('share-dialog').isVisible()))
    await page.getByTestId('share-button').click();
  await page.getByRole('button', { name: 'Restore' }).first().click();
  await expect(title(page)).toHaveText('my own work');
});

test('work too large for a link stays in local storage, with no fragment', async ({ page }) => {
  await page.goto('/');
  // One burst of 200,000 reads (through an SMMU left as reset leaves it: quick to run, 0.01 ms
  // each by scenario/cost.ts), over the second of work a link may ask for.
  const ops = [{ op: 'dma', sid: 1, addr: '0x0', access: 'r', count: 200_000 }];
  await loadPasted(page, { ...mine, title: 'too big', ops });
  await expect(title(page)).toHaveText('too big');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
  await expect(page.getByTestId('share-no-link')).toContainText(
    'the scenario would take about 2.0 s to run, mostly for its 200,000 bare-SMMU accesses (dma counts); links may ask for at most 1.0 s of work',
  );
  await page.reload();
  await expect(title(page)).toHaveText('too big');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('export then import gives back the same scenario', async ({ page }, info) => {
  await page.goto('/');
  await page.getByTestId('share-button').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const file = info.outputPath('exported.json');
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { title: string; ops: unknown[] };
  expect(exported.title).toBe(seedStory.title);
  expect(exported.ops).toEqual(seedStory.ops);
  await page.getByTestId('share-paste').fill(JSON.stringify(mine));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(title(page)).toHaveText('my own work');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(title(page)).toHaveText(seedStory.title!);
  await page
    .getByTestId('share-paste')
    .fill(
      '{"format": "sva-explorer/scenario", "version": 1, "ops": [{"op": "mmap", "proc": "p", "addr": "0x1000", "size": "0x1001", "prot": "rw"}]}',
    );
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(page.getByTestId('share-error')).toHaveText(
    'pasted text: ops[0].size: must be a multiple of 0x1000',
  );
  await expect(title(page)).toHaveText(seedStory.title!);
  // A pasted link that is bad names its own error.
  await page.getByTestId('share-paste').fill(encodeLink(seedStory).replace('s=2.', 's=4.'));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(page.getByTestId('share-error')).toHaveText(
    'pasted link: the link is version 4; this page reads up to 2',
  );
});
