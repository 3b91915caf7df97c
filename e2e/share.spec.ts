import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { decodeLink, encodeLink } from '../src/share/index.ts';
import { seedStory } from '../src/scenario/presets/seedStory.ts';

const mine = {
  format: 'sva-explorer/scenario',
  version: 1,
  title: 'my own work',
  ops: [
    { op: 'process', name: 'bash' },
    { op: 'process', name: 'zsh' },
  ],
};

test('a copied link opens the same scenario at the same moment in a fresh browser', async ({
  browser,
}) => {
  const a = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await a.newPage();
  await page.goto('/');
  await page.getByTestId('timeline-op-19').locator('button').first().click();
  await page.getByTestId('share-button').click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#s=1.');
  const decoded = decodeLink(link);
  expect(decoded.ok && decoded.doc.cursor?.op).toBe(19);
  await a.close();

  const b = await browser.newContext();
  const fresh = await b.newPage();
  await fresh.goto(link);
  await expect(fresh.getByTestId('timeline-op-19').getByRole('button').first()).toHaveAttribute(
    'aria-current',
    'step',
  );
  await expect(fresh.locator('.scenario-title')).toHaveText(seedStory.title!);
  await expect(fresh.getByRole('alert')).toHaveCount(0);
  await b.close();
});

test('a link keeps the step of a walk', async ({ page }) => {
  const link = encodeLink({ ...seedStory, cursor: { op: 26, step: 4 } });
  await page.goto(`/${link}`);
  await expect(page.getByTestId('timeline-op-26').getByRole('button').first()).toHaveAttribute(
    'aria-current',
    'step',
  );
  await expect
    .poll(() => page.evaluate(() => decodeURIComponent(location.hash)))
    .toContain('#s=1.');
});

test('a corrupted link shows a banner and never replaces the work, even after a reload', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-paste').fill(JSON.stringify(mine));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(page.locator('.scenario-title')).toHaveText('my own work');
  await page.waitForTimeout(600); // the work is saved after a short debounce
  const good = encodeLink(seedStory);
  for (const bad of [`${good.slice(0, 60)}`, good.replace('s=1.', 's=7.'), '#s=1.%%%%']) {
    await page.goto(`/${bad}`);
    await expect(page.getByRole('alert')).toContainText('The link was not opened');
    if (bad.includes('s=7.'))
      await expect(page.getByRole('alert')).toContainText(
        'the link is version 7; this page reads up to 1',
      );
    await expect(page.locator('.scenario-title')).toHaveText('my own work');
  }
  await page.reload();
  await expect(page.locator('.scenario-title')).toHaveText('my own work');
  await page.goto('/');
  await expect(page.locator('.scenario-title')).toHaveText('my own work');
});

test('opening a link keeps the earlier work in Recent, restorable', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-paste').fill(JSON.stringify(mine));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await page.waitForTimeout(600);
  await page.goto(`/${encodeLink(seedStory)}`);
  await expect(page.locator('.scenario-title')).toHaveText(seedStory.title!);
  await expect(page.getByRole('alert')).toContainText('previous work is in Recent');
  if (!(await page.getByTestId('share-dialog').isVisible()))
    await page.getByTestId('share-button').click();
  await page.getByRole('button', { name: 'Restore' }).first().click();
  await expect(page.locator('.scenario-title')).toHaveText('my own work');
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
  await expect(page.locator('.scenario-title')).toHaveText('my own work');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.locator('.scenario-title')).toHaveText(seedStory.title!);
  await page
    .getByTestId('share-paste')
    .fill(
      '{"format": "sva-explorer/scenario", "version": 1, "ops": [{"op": "mmap", "proc": "p", "addr": "0x1000", "size": "0x1001", "prot": "rw"}]}',
    );
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(page.getByTestId('share-error')).toHaveText(
    'pasted text: ops[0].size: must be a multiple of 0x1000',
  );
  await expect(page.locator('.scenario-title')).toHaveText(seedStory.title!);
});
