// What-if editing (issue 14) as a user does it, on the seed story: a CD.T0SZ edit warns before it
// is applied and the applied edit raises the C_BAD_CD the warning predicted; a page descriptor
// edited without invalidation leaves a stale TLB entry that the next dma uses. Expected values
// are worked out here from the descriptor's bits (OutputAddress = bits[47:12]).
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addOp } from './forms.ts';

test.describe.configure({ timeout: 90_000 });

const go = async (page: Page, op: number) => {
  await page.getByTestId(`timeline-op-${op}`).locator('.tl-main').click();
  await expect(page.getByTestId(`timeline-op-${op}`).locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
};
const result = (page: Page, op: number) => page.getByTestId(`timeline-op-${op}`).locator('.tl-res');

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Skip' }).click();
});

test('a CD.T0SZ edit warns before it is applied, then raises the predicted C_BAD_CD', async ({
  page,
}) => {
  // Op 18 maps game's buffer; op 19, the GPU's write through PASID 2, fetches CD 2.
  await go(page, 18);
  await expect(result(page, 19)).toContainText('translated');
  await page.getByRole('button', { name: /^CD 2 of gpu-dom \(SSID 2\)/ }).click();
  await expect(page.getByTestId('inspector-title')).toHaveText('CD 2 of gpu-dom (SSID 2)');
  const was = await page.getByTestId('inspector-field-T0SZ-value').innerText();
  await page.getByRole('button', { name: 'What if: edit T0SZ' }).click();
  const form = page.getByTestId('whatif');
  const value = form.getByRole('textbox', { name: 'New value' });
  await expect(value).toBeFocused();
  await expect(value).toHaveValue(was);
  // A legal value: no warning.
  await value.fill('25');
  await expect(page.getByTestId('whatif-warnings')).toContainText('No rule of the spec is broken');
  await value.fill('0');
  const warning = 'CD.T0SZ=0 is out of range 16..39: the next fetch of this CD raises C_BAD_CD';
  await expect(page.getByTestId('whatif-warnings')).toContainText(warning);
  await expect(page.getByTestId('whatif-warnings')).toContainText('§5.4.2');
  const axe = await new AxeBuilder({ page }).include('[data-testid="whatif"]').analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id),
  ).toEqual([]);
  // Nothing is applied yet: the timeline still has the seed's op 19 right after the cursor.
  await expect(page.getByTestId('timeline-op-19')).toContainText('dma');
  const inval = form.getByRole('checkbox', { name: /Also queue the invalidation/ });
  await expect(inval).toBeChecked();
  await expect(inval).toHaveAccessibleName(/CMD_CFGI_CD \(SSID 2\) for SID 0x20, then CMD_SYNC/);
  await expect(page.getByTestId('whatif-ops').locator('li')).toHaveText([
    /^write64 /,
    /^cmd CFGI_CD /,
    /^cmd SYNC/,
  ]);
  await form.getByRole('button', { name: 'Apply edit' }).click();
  // Inserted after op 18: the write, CFGI_CD, CMD_SYNC; the cursor on the last of them.
  await expect(page.getByTestId('timeline-op-19')).toContainText('write64');
  await expect(page.getByTestId('timeline-op-20')).toContainText('CFGI_CD');
  await expect(page.getByTestId('timeline-op-21')).toContainText('SYNC');
  await expect(page.getByTestId('timeline-op-21').locator('.tl-main')).toHaveAttribute(
    'aria-current',
    'step',
  );
  await expect(page.getByTestId('inspector-field-T0SZ-value')).toHaveText('0x0');
  // The GPU's write, now op 22: the CD fetch raises the C_BAD_CD the warning said.
  await expect(page.getByTestId('timeline-op-22')).toContainText('dma');
  await expect(result(page, 22)).toContainText('C_BAD_CD');
});

test('an edit without invalidation leaves a stale TLB entry that the next dma uses', async ({
  page,
}) => {
  // Op 19: the GPU writes 0x10_0100 through PASID 2; the walk's last row is the page descriptor.
  await go(page, 19);
  const leaf = page.getByRole('button', { name: /^L3\[256\] at 0x[0-9a-f_]+ \(table/ });
  await leaf.first().click();
  await expect(page.getByTestId('inspector-title')).toHaveText(/^L3\[256\] at /);
  const desc = BigInt(
    (await page.getByTestId('inspector-word-0-hex').innerText()).replace(/_/g, ''),
  );
  const oldFrame = desc & 0xffff_ffff_f000n;
  const newFrame = oldFrame + 0x10_0000n;
  await page.getByRole('button', { name: 'What if: edit OutputAddress' }).click();
  const form = page.getByTestId('whatif');
  await form
    .getByRole('textbox', { name: 'New value' })
    .fill(`0x${(newFrame >> 12n).toString(16)}`);
  await expect(page.getByTestId('whatif-warnings')).toContainText('No rule of the spec is broken');
  const inval = form.getByRole('checkbox', { name: /Also queue the invalidation/ });
  await expect(inval).toHaveAccessibleName(/CMD_TLBI_NH_VA/);
  await inval.uncheck();
  await expect(page.getByTestId('whatif-ops').locator('li')).toHaveText([/^write64 /]);
  await form.getByRole('button', { name: 'Apply edit' }).click();
  await expect(page.getByTestId('timeline-op-20')).toContainText('write64');
  await expect(page.getByTestId('inspector-field-OutputAddress-value')).toHaveText(
    `0x${(newFrame >> 12n).toString(16)}`,
  );
  // The GPU reads the same page again: the TLB still holds the old translation.
  await addOp(page, 'dma', { Device: 'gpu', PASID: '2', Address: '0x10_0010', Access: 'r' });
  const last = page.locator('[data-testid^="timeline-op-"]').last();
  await expect(last.locator('.tl-res')).toContainText('translated');
  const pa = /PA (0x[0-9a-f_]+)/.exec(await last.locator('.tl-res').innerText())?.[1];
  expect(BigInt(pa!.replace(/_/g, ''))).toBe(oldFrame + 0x10n);
  await expect(last.locator('.tl-res')).toContainText('stale TLB hit');
});

test('terms in the inspector open their glossary definition from the keyboard', async ({
  page,
}) => {
  await go(page, 19);
  const ste = page.getByTestId('ste-32');
  await ste.focus();
  await ste.press('Enter');
  await expect(page.getByTestId('inspector-title')).toHaveText('STE 0x20 (gpu)');
  const kind = page.getByRole('button', { name: 'Stream Table Entry', exact: true });
  await kind.focus();
  await kind.press('Enter');
  await expect(kind).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('gloss-pop')).toContainText('STE: Stream Table Entry: 64 bytes');
  await kind.press('Escape');
  await expect(page.getByTestId('gloss-pop')).toHaveCount(0);
  const term = page
    .getByTestId('inspector-field-S1DSS')
    .getByRole('button', { name: 'S1DSS', exact: true });
  await term.focus();
  await page.keyboard.press('Space');
  const pop = page.getByTestId('inspector-field-S1DSS').getByTestId('gloss-pop');
  await expect(pop).toContainText('without a SubstreamID');
  await expect(pop).toContainText('(spec §5.2)');
  await page.keyboard.press('Space');
  await expect(pop).toHaveCount(0);
});

test('a diagram card\'s "?" opens the definitions of its terms, and the card still selects', async ({
  page,
}) => {
  await go(page, 19);
  const mark = page.getByTestId('gloss-ste-32');
  await mark.focus();
  await mark.press('Enter');
  const card = page.getByTestId('terms-card');
  await expect(card).toBeFocused();
  await expect(card.locator('dt')).toHaveText(['STE', 'StreamID', 'Config']);
  await expect(card).toContainText('Stream Table Entry: 64 bytes per StreamID');
  await expect(card).toContainText('(spec §5.2)');
  // Opening the terms selected nothing: the STE card is not pressed.
  await expect(page.getByTestId('ste-32')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await expect(mark).toBeFocused();
  // The CD table's "?" lists the CD terms; a click on the card itself still selects it.
  await page.getByTestId('gloss-cdtable-gpu-dom').click();
  await expect(card.locator('dt')).toContainText(['CD', 'SSID', 'ASID', 'ASET']);
  await expect(card).toContainText('(spec §5.4)');
  await page.getByTestId('ste-32').click();
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('ste-32')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('inspector-title')).toHaveText('STE 0x20 (gpu)');
});
