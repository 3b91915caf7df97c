// Offline (issue 14): after one visit the served page reloads with the network off, from the
// service worker's precache (scripts/offline.ts), lazy chunks included; and `npm run
// build:single` makes one HTML file that works opened from disk, under a CSP that still refuses
// inline code it did not hash and eval (scripts/single.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

test.describe.configure({ timeout: 120_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Collects CSP violations from the first script on. */
async function watchCsp(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** The lazy parts load: the timeline lists ops, the stepper shows an op, Share opens. */
async function usable(page: Page) {
  await expect(page.getByTestId('diagram-svg')).toBeVisible();
  await expect(page.locator('[data-testid^="timeline-op-"]').first()).toBeVisible();
  await page.locator('[data-testid^="timeline-op-"]').nth(3).click();
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await expect(page.getByTestId('step-counter')).toBeVisible();
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  await page.keyboard.press('Escape');
}

test('after one visit the page reloads with no network', async ({ page, context }) => {
  const violations = await watchCsp(page);
  await page.goto('/');
  await expect(page.getByTestId('diagram-svg')).toBeVisible();
  // Registered from the page's own module (no inline script), active once it has precached.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(new URL('/', page.url()).href);

  await context.setOffline(true);
  // The network is really off: a file the service worker did not precache does not arrive.
  const uncached = await page.evaluate(() =>
    fetch('./not-precached.txt').then(
      (r) => `status ${r.status}`,
      () => 'failed',
    ),
  );
  expect(uncached).toBe('failed');

  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await usable(page);
  // A link is a navigation with a query and a fragment: it opens offline too.
  await page.goto('/?empty');
  await expect(page.getByTestId('diagram')).toBeVisible();
  expect(await violations()).toEqual([]);
  await context.setOffline(false);
});

test('npm run build:single makes one HTML file that works from disk under a strict CSP', async ({
  page,
}, info) => {
  const out = `dist-single-e2e-${info.workerIndex}-${process.pid}`;
  // What `npm run build:single` runs, into a folder of this run's own.
  const args = ['vite', 'build', '--mode', 'single', '--logLevel', 'warn', '--outDir', out];
  const build = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  const dir = `${ROOT}${out}`;
  expect(readdirSync(dir)).toEqual(['sva-explorer.html']);
  const file = `${dir}/sva-explorer.html`;
  try {
    const violations = await watchCsp(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await usable(page);
    const meta = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    expect(meta).not.toContain('unsafe-inline');
    expect(meta).not.toContain('unsafe-eval');
    // Exactly one script, inline, and no file beside the page is needed.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('script[src], link[rel="stylesheet"]').count()).toBe(0);
    expect(await page.locator('[href^="./"], [src^="./"]').count()).toBe(0);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    // Code the hash does not cover, and eval, are still refused.
    const ran = await page.evaluate(async () => {
      const w = window as unknown as { inlineRan?: boolean; timerRan?: boolean };
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.append(s);
      (setTimeout as (code: string, ms: number) => number)('window.timerRan = true', 0);
      await new Promise((r) => setTimeout(r, 100));
      return { inline: w.inlineRan ?? false, timer: w.timerRan ?? false };
    });
    expect(ran).toEqual({ inline: false, timer: false });
    expect(await violations()).toEqual(['script-src-elem inline', 'script-src eval']);
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
});
