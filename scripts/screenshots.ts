// `npm run screenshots`: the pictures in docs/screenshots, taken from a production build in
// headless Chromium — the default scenario in light and dark at 1280×720 and 1920×1080, a walk
// and a PRI fault flow in the stepper, the stress example and a VM's nested chain. Reviewed by
// eye before each commit.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumPath } from './chromium-path.mjs';
import { serve } from './serve.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url);

interface Shot {
  name: string;
  scheme: 'light' | 'dark';
  size: [number, number];
  /** Brings the page to the moment to show. */
  setup?: (page: Page) => Promise<void>;
}

/** Clicks the timeline row of op `i` and opens the stepper on it, `steps` steps in. */
const stepperAt = (op: number, steps: number) => async (page: Page) => {
  await page.getByTestId(`timeline-op-${op}`).getByRole('button').first().click();
  await page.getByRole('tab', { name: 'Stepper' }).click();
  for (let i = 0; i < steps; i++) await page.getByTestId('step-next').click();
};

const SHOTS: readonly Shot[] = [
  { name: 'default-1280x720-light', scheme: 'light', size: [1280, 720] },
  { name: 'default-1280x720-dark', scheme: 'dark', size: [1280, 720] },
  { name: 'default-1920x1080-light', scheme: 'light', size: [1920, 1080] },
  { name: 'default-1920x1080-dark', scheme: 'dark', size: [1920, 1080] },
  // The accelerator's first access to the shared mm: a 4-level stage-1 walk, at the L2 read.
  { name: 'walk-1280x720-light', scheme: 'light', size: [1280, 720], setup: stepperAt(26, 7) },
  // Its second access faults and is served through PRI: the flow across the lanes.
  { name: 'pri-flow-1280x720-dark', scheme: 'dark', size: [1280, 720], setup: stepperAt(27, 14) },
  {
    name: 'stress-1280x720-dark',
    scheme: 'dark',
    size: [1280, 720],
    setup: async (page) => {
      await page.getByTestId('examples').selectOption('stress');
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByRole('button', { name: /^Fit/ }).click();
    },
  },
  // A VM: the nested walk's chain in the lens — the physical STE from the guest's, the guest CD
  // at its IPA, the guest's tables, the stage-2 tables every read went through, the VM.
  {
    name: 'vm-1280x720-light',
    scheme: 'light',
    size: [1280, 720],
    setup: async (page) => {
      await page.getByTestId('examples').selectOption('vm-nested');
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByTestId('timeline-op-12').getByRole('button').first().click();
    },
  },
];

async function take(browser: Browser, url: string, s: Shot): Promise<void> {
  const ctx = await browser.newContext({
    viewport: { width: s.size[0], height: s.size[1] },
    colorScheme: s.scheme,
    reducedMotion: 'reduce', // the final state of every transition
  });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.getByTestId('timeline-op-0').waitFor();
  await s.setup?.(page);
  await page.waitForTimeout(400);
  await page.screenshot({ path: new URL(`${s.name}.png`, OUT).pathname });
  await ctx.close();
  console.log(`docs/screenshots/${s.name}.png`);
}

mkdirSync(OUT, { recursive: true });
const { url, stop } = await serve('dist-screenshots');
const executablePath = chromiumPath();
const browser = await chromium.launch({
  ...(executablePath ? { executablePath } : {}),
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  for (const s of SHOTS) await take(browser, url, s);
} finally {
  await browser.close();
  stop();
}
