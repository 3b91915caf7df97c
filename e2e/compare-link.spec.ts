// Compare with a link (issue 14): the Share dialog takes a second share link and shows this
// moment against the moment that link points at, side by side as the Eras tab does. Here: the
// seed story at op 26 (the accelerator reads 0x7f00_0000_0000, a TLB miss and a walk) against a
// link to the same story at op 27 (its write to 0x7f00_0000_2000 faults, goes through PRI, and
// the retry lands on a new page). Every value is computed here from a run of the scenario.
import './onDemand.ts';
import { expect, test } from '@playwright/test';
import { openTimeline, parseScenario } from '../src/scenario/index.ts';
import { seedStory } from '../src/scenario/presets/seedStory.ts';
import { encodeLink } from '../src/share/index.ts';

test.describe.configure({ timeout: 90_000 });

const HERE = 26;
const THERE = 27;
const hx = (v: bigint | number) => `0x${v.toString(16)}`;

function records() {
  const p = parseScenario(seedStory);
  if (!p.ok) throw new Error(p.error);
  const o = openTimeline(p.scenario);
  if (!o.ok) throw new Error(o.error);
  return { here: o.timeline.records[HERE]!, there: o.timeline.records[THERE]! };
}

test('Share compares this moment with the moment another link points at', async ({ page }) => {
  const { here, there } = records();
  expect(here.dma?.pa).toBeDefined();
  expect(there.dma?.pa).toBeDefined();
  expect(there.pageRequests.length).toBeGreaterThan(0);
  const link = `http://127.0.0.1/${encodeLink({ ...seedStory, cursor: { op: THERE, step: 0 } })}`;

  await page.goto('/');
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill(String(HERE));
  await expect(page.getByTestId('time-moment')).toHaveText(new RegExp(`^op ${HERE}: dma`));
  await page.getByTestId('share-button').click();
  await page.getByTestId('compare-link').fill(link);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();

  const view = page.getByTestId('link-compare');
  await expect(view.getByTestId('eras-op-kind')).toHaveText(
    `Op ${HERE} here against op ${THERE} of the link: different results.`,
  );
  const row = view.getByTestId('eras-result-DMA-output-address');
  await expect(row.locator('td').nth(0)).toHaveText(hx(here.dma!.pa!));
  await expect(row.locator('td').nth(1)).toHaveText(hx(there.dma!.pa!));
  await expect(row).toHaveAttribute('data-differs', 'true');
  // The link's op sent page requests (PRI); this one none.
  const prq = view.getByTestId('eras-page-requests');
  await expect(prq).toHaveAttribute('data-differs', 'true');
  const sent = there.pageRequests.map((r) => `SID ${hx(r.request.sid)} ${hx(r.request.addr)}`);
  await expect(prq.locator('td').nth(1)).toHaveText(sent.join('\n'));
  await expect(prq.locator('td').nth(0)).toHaveText('—');
  // Column heads name both moments.
  await expect(
    view.getByRole('columnheader', { name: `link (op ${THERE})` }).first(),
  ).toBeVisible();

  // The same moment compares equal; a damaged link says why.
  await page
    .getByTestId('compare-link')
    .fill(`#${encodeLink({ ...seedStory, cursor: { op: HERE, step: 0 } }).slice(1)}`);
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(view.getByTestId('eras-op-kind')).toHaveText(/: the same results\.$/);
  await page.getByTestId('compare-link').fill('#s=2.AAAA');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByTestId('link-compare')).toHaveText(/^That link does not open: /);
});
