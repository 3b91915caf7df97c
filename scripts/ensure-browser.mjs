#!/usr/bin/env node
// Finds or installs a Chromium for the e2e tests, in this order:
// system Chromium; apt-get when root; Playwright's own installer. Says what it did in one line.
import { execSync } from 'node:child_process';
import { chromiumPath } from './chromium-path.mjs';

const found = chromiumPath();
if (found) {
  console.log(`browser: using ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const run = (cmd) =>
  execSync(cmd, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
try {
  if (isRoot) {
    console.log(
      'browser: no Chromium found; installing Debian chromium with apt-get (about 20 s)…',
    );
    run('apt-get update -q');
    run(
      'apt-get install -y -q -o DPkg::Lock::Timeout=300 chromium fonts-liberation fonts-dejavu-core',
    );
  } else {
    console.log(
      'browser: no Chromium found and not root; trying `npx playwright install chromium`…',
    );
    run('npx playwright install chromium');
  }
} catch {
  console.error(
    'browser: could not install Chromium. Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.',
  );
  process.exit(1);
}
const after = chromiumPath();
console.log(after ? `browser: installed ${after}` : "browser: using Playwright's own Chromium");
