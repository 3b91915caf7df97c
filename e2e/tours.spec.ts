// A shipped tour played to its end on the live engine (issue 14): "A 4-level walk" on the seed
// story. At each stop the page is checked: the op at the cursor, the Stepper's step and its
// title, and what the inspector shows (the stop's focus, as the seed story has it: the
// accelerator is StreamID 0x100, PASID 3 is CD 3 of accel-dom, ml's walk starts at level 0).
import { expect, test } from '@playwright/test';
import { walkTour } from '../src/scenario/presets/moreTours.ts';

test.describe.configure({ timeout: 90_000 });

const stops: { step: string; inspector: RegExp | null }[] = [
  { step: 'device access', inspector: /^STE 0x100 \(accel\)$/ },
  { step: 'ste', inspector: /^STE 0x100 \(accel\)$/ },
  { step: 'cd', inspector: /^CD 3 of accel-dom \(SSID 3\)$/ },
  { step: 'decision', inspector: /^L0\[\d+\] at 0x/ },
  { step: 'L0 descriptor', inspector: /^L0\[\d+\] at 0x/ },
  { step: 'L3 descriptor', inspector: null },
  { step: 'result', inspector: null },
];

test('"A 4-level walk" plays to its end, the page moving to each stop', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Skip' }).click();
  await page.getByRole('tab', { name: 'Stepper' }).click();
  const dock = page.getByTestId('learn-dock');
  await dock.getByRole('button', { name: /^Tours/ }).click();
  await dock.getByRole('button', { name: 'A 4-level walk' }).click();
  const n = walkTour.stops.length;
  expect(stops).toHaveLength(n);
  const nar = page.getByTestId('narration');
  for (let i = 0; i < n; i++) {
    const stop = walkTour.stops[i]!;
    await expect(page.getByTestId('narration-count')).toHaveText(`Stop ${i + 1} of ${n}`);
    await expect(page.getByTestId('narration-text')).not.toContainText('is not on the page');
    await expect(page.getByTestId('timeline-op-26').locator('.tl-main')).toHaveAttribute(
      'aria-current',
      'step',
    );
    // The Stepper is on the stop's step of the accelerator's access (12 steps: STE … result).
    await expect(page.getByTestId('step-counter')).toHaveText(`step ${stop.at.step + 1} / 12`);
    await expect(page.getByTestId('step-title')).toHaveText(stops[i]!.step);
    const want = stops[i]!.inspector;
    if (want) await expect(page.getByTestId('inspector-title')).toHaveText(want);
    else await expect(page.getByTestId('inspector-title')).toHaveCount(0);
    if (i < n - 1) await nar.getByRole('button', { name: 'Next', exact: true }).click();
  }
  await expect(page.getByTestId('step-note')).toHaveText(/^translated: PA 0x[0-9a-f_]+$/);
  await nar.getByRole('button', { name: 'Finish', exact: true }).click();
  await expect(nar).toHaveCount(0);
});
