#!/usr/bin/env node
// `npm test` on a fresh clone: installs the project's packages first (npm ci) when node_modules
// is missing or older than package-lock.json, so one command runs every test. Says what it did.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = new URL('../package-lock.json', import.meta.url);
const installed = new URL('../node_modules/.package-lock.json', import.meta.url);
if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) {
  console.log('packages: installed');
} else {
  console.log('packages: installing with npm ci…');
  execSync('npm ci --no-audit --no-fund', {
    stdio: 'inherit',
    cwd: new URL('..', import.meta.url),
  });
}
