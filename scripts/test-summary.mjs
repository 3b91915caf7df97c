#!/usr/bin/env node
// Prints plain "label: N passed, N failed, N skipped" lines from the runners' JSON reports,
// last line "total: …". Exits 1 when a report is missing or empty, or anything failed.
import { existsSync, readFileSync } from 'node:fs';

const rows = [];
if (existsSync('reports/vitest.json')) {
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  rows.push([
    'unit',
    v.numPassedTests,
    v.numFailedTests,
    (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0),
  ]);
}
if (existsSync('reports/playwright.json')) {
  const s = JSON.parse(readFileSync('reports/playwright.json', 'utf8')).stats ?? {};
  rows.push(['e2e', (s.expected ?? 0) + (s.flaky ?? 0), s.unexpected ?? 0, s.skipped ?? 0]);
}
let bad = rows.length === 0;
const total = [0, 0, 0];
for (const [label, p, f, s] of rows) {
  console.log(`${label}: ${p} passed, ${f} failed, ${s} skipped`);
  if (p + f === 0 || f > 0) bad = true;
  total[0] += p;
  total[1] += f;
  total[2] += s;
}
console.log(`total: ${total[0]} passed, ${total[1]} failed, ${total[2]} skipped`);
process.exit(bad ? 1 : 0);
