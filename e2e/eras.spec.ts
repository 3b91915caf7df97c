// Comparing two kernel eras on the default scenario (the seed story) in a real browser: the
// timeline marks exactly the ops whose results differ — computed here by running the story under
// both eras with the scenario code — and the Eras tab shows one field-level difference whose
// values are derived by hand: the accelerator's SVA bind (op 25) writes CD 3 with the CPU's ASID
// shared, ASET=0, under rfc2017 (the RFCv2 arm_smmu_alloc_shared_cd), and with the SVA domain's
// own SMMU ASID, ASET=1, under v6.11 (arm_smmu_make_sva_cd).
import './onDemand.ts';
import { expect, test } from '@playwright/test';
import { diffOps, openTimeline, parseScenario, seedStory } from '../src/scenario/index.ts';

const BIND_OP = 25;

function expectedMarks(): number[] {
  const run = (kernel: string) => {
    const p = parseScenario({ ...seedStory, version: 2, kernel });
    if (!p.ok) throw new Error(p.error);
    const o = openTimeline(p.scenario);
    if (!o.ok) throw new Error(o.error);
    return o.timeline;
  };
  return diffOps(run('rfc2017'), run('v6.11')).flatMap((k, i) => (k === 'differs' ? [i] : []));
}

test('compare rfc2017 with v6.11: marked ops and the bind’s CD side by side', async ({ page }) => {
  const want = expectedMarks();
  expect(want).toContain(BIND_OP);
  await page.goto('/');
  await expect(page.getByRole('combobox', { name: 'Kernel era', exact: true })).toHaveValue(
    'rfc2017',
  );
  await page.getByRole('combobox', { name: 'Compare with kernel era' }).selectOption('v6.11');

  const marks = page.getByTestId('era-diff-mark');
  await expect(marks).toHaveCount(want.length);
  const marked = await marks.evaluateAll((els) =>
    els.map((e) => Number(e.closest('li')?.getAttribute('data-op'))),
  );
  expect(marked).toEqual(want);

  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill(String(BIND_OP));
  await page.getByRole('tab', { name: 'Eras' }).click();
  await expect(page.getByTestId('eras-count')).toHaveText(
    `${want.length} of ${seedStory.ops.length} ops differ between rfc2017 and v6.11`,
  );
  const cd = page.getByTestId('eras-structure-CD 3 of accel');
  const aset = cd.getByTestId('eras-field-ASET');
  await expect(aset.getByRole('cell')).toHaveText(['0', '1']);
  await expect(aset).toHaveAttribute('data-differs', 'true');
  await expect(cd.getByTestId('eras-field-ASID')).toHaveAttribute('data-differs', 'true');
});
