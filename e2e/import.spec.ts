// Real kernel logs in the page (issue 13): a pasted arm-smmu-v3 log lists its events with their
// StreamIDs; Reproduce opens a scenario at the reproduced event, whose record in the event queue
// has the fields the log's dwords have. A pasted /proc/PID/maps becomes a process with its VMAs.
// A paste of binary or of megabytes of noise answers without freezing the page.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

test.describe.configure({ timeout: 90_000 });

const sample = (name: string): string =>
  readFileSync(new URL(`../src/logs/fixtures/${name}`, import.meta.url), 'utf8');

/** A real paste: the text on the clipboard, then Ctrl+V with no text field focused. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Control+V');
}

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('paste a log, see its events, reproduce one: the event queue holds the same fields', async ({
  page,
}, info) => {
  await page.goto('/?empty');
  await expect(page.getByText('0 ops')).toBeVisible();
  await paste(page, sample('01-hisi-sva-stall-ssid1.txt'));
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading')).toContainText('Kernel log (arm-smmu-v3)');
  const row = dialog.getByTestId('import-event-0');
  await expect(row.getByTestId('import-sid')).toHaveText('0x7501');
  await expect(row).toContainText('F_TRANSLATION');
  // The fields as the importer decoded them from the log's dwords.
  await row.getByRole('button', { name: /Details of F_TRANSLATION/ }).click();
  const FIELDS = [
    'EventID',
    'SSV',
    'SubstreamID',
    'StreamID',
    'Stall',
    'PnU',
    'InD',
    'RnW',
    'S2',
    'CLASS',
    'InputAddr',
  ];
  const logValues: Record<string, string> = {};
  for (const f of FIELDS)
    logValues[f] = await dialog.getByTestId(`import-field-${f}-value`).innerText();
  // Read off the sample by hand: sid 0x7501, ssid 0x1, iova 0xaaaada7af000, unpriv data write, stall.
  expect(logValues).toMatchObject({
    EventID: '0x10',
    StreamID: '0x7501',
    SSV: '0x1',
    SubstreamID: '0x1',
    InputAddr: '0xaaaada7af000',
    RnW: '0x0',
    PnU: '0x0',
    InD: '0x0',
    Stall: '0x1',
  });
  await expect(dialog.getByText(/CD 1 of SID 0x7501/)).toBeVisible();

  await dialog.getByTestId('reproduce-0').click();
  await expect(dialog).toBeHidden();
  const banner = page.getByTestId('replay-banner');
  await expect(banner).toContainText('Reproduced line 2: F_TRANSLATION SID 0x7501 SSID 1');
  await expect(page.locator('.scenario-title')).toContainText('Replay of 1 event');
  // The stepper opened at the event record.
  await expect(page.getByTestId('step-title')).toContainText(/event|F_TRANSLATION/i);

  await page.getByRole('tab', { name: 'Queues' }).click();
  const item = page.locator('[data-testid^="event-"][data-testid$="-0"]').first();
  await expect(item).toContainText('F_TRANSLATION');
  await expect(item).toContainText('SID 0x7501 SSID 1 0xaaaada7af000');
  await expect(item).toContainText('stalled');
  await item.getByRole('button').click();
  await expect(page.getByTestId('inspector-title')).toContainText('F_TRANSLATION');
  for (const f of FIELDS)
    await expect(page.getByTestId(`inspector-field-${f}-value`), f).toHaveText(logValues[f]!);

  await page.screenshot({ path: info.outputPath('reproduced.png') });
  await banner.getByRole('button', { name: 'Dismiss the replay note' }).click();
  await expect(banner).toBeHidden();
});

test('the importer is a keyboard dialog: Esc closes it; the Share box hands a log to it', async ({
  page,
}) => {
  await page.goto('/?empty');
  await paste(page, sample('19-gerror-cmdq-illegal-command.txt'));
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByTestId('import-note-gerror')).toContainText('CMDQ_ERR');
  await expect(dialog.getByTestId('import-note-cmdq-error')).toContainText('CERROR_ILL');
  await expect(page.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByTestId('share-button').click();
  await page.getByTestId('share-paste').fill(sample('10-qemu-pxb-c-bad-streamid.txt'));
  await page.getByRole('button', { name: 'Load pasted' }).click();
  await expect(page.getByTestId('share-dialog')).toBeHidden();
  await expect(dialog.getByTestId('import-event-0').getByTestId('import-sid')).toHaveText('0x900');
  await expect(page.getByTestId('share-error')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // A file dropped on the page: sample 17's two identical dumps are one row, counted twice.
  const drop = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dmesg.txt', { type: 'text/plain' }));
    return dt;
  }, sample('17-hanpfei-f-stream-disabled.txt'));
  await page.dispatchEvent('main', 'dragover', { dataTransfer: drop });
  await page.dispatchEvent('main', 'drop', { dataTransfer: drop });
  await expect(dialog.getByRole('heading')).toContainText('(dmesg.txt)');
  await expect(dialog.getByTestId('import-event-0')).toContainText('×2');
  await expect(dialog.getByTestId('import-event-0')).toContainText('F_STREAM_DISABLED');
});

test('paste /proc/PID/maps: a process with its VMAs appears in the diagram', async ({ page }) => {
  await page.goto('/?empty');
  await paste(page, sample('09-kernel-doc-proc-rst-i386.maps'));
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByRole('heading')).toContainText('/proc/PID/maps');
  await expect(dialog.getByTestId('import-summary')).toContainText('20 mappings: 18 become VMAs');
  await expect(dialog.getByTestId('import-proc-name')).toHaveValue('test');
  await dialog.getByTestId('import-create-process').click();
  await expect(dialog).toBeHidden();
  const card = page.getByRole('group', { name: /^Process test, pid/ });
  await expect(card).toBeVisible();
  // The first mapping, 08048000-08049000 r-xp /opt/test, drawn as the diagram writes ranges.
  await expect(card).toContainText('0x804_8000–0x804_9000 r-x');
  await expect(card).toContainText(/\d+ VMAs/);
  // Labelled with what they map: 0804a000-0806b000 rw-p … [heap]
  await expect(card).toContainText('0x804_a000–0x806_b000 rw- [heap]');
  await page.screenshot({ path: test.info().outputPath('maps-process.png') });
});

test('binary and megabytes of noise: an answer within seconds, the page responsive', async ({
  page,
}) => {
  await page.goto('/?empty');
  const noise = 'x'.repeat(60) + '\n';
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  }, noise.repeat(60_000));
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog.getByTestId('import-error')).toContainText('Nothing here was recognised', {
    timeout: 5_000,
  });
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', '\u0000\u0001\u0002'.repeat(1000));
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  });
  await expect(dialog.getByTestId('import-error')).toContainText('binary');
});

test('no serious or critical accessibility violations in the importer, light and dark', async ({
  page,
}) => {
  await page.goto('/?empty');
  for (const theme of ['light', 'dark']) {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption(theme);
    await paste(
      page,
      `${sample('01-hisi-sva-stall-ssid1.txt')}\n${sample('19-gerror-cmdq-illegal-command.txt')}`,
    );
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByRole('button', { name: /Details of F_TRANSLATION/ }).click();
    const results = await new AxeBuilder({ page })
      .include('[data-testid="import-dialog"]')
      .analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map((v) => `${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await dialog.getByTestId('reproduce-0').click();
    await expect(page.getByTestId('replay-banner')).toBeVisible();
    const card = await new AxeBuilder({ page }).include('[data-testid="replay-banner"]').analyze();
    expect(
      card.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ).toEqual([]);
    await page.getByRole('button', { name: 'Dismiss the replay note' }).click();
  }
});
