// The "Add an op" form, driven as a user would: open its dialog from the timeline's button (if it
// is not open yet), pick the op, fill each field by its label (text: typed, select: chosen,
// boolean: checked), press "Add <op>". The dialog stays open between ops, as it does for a user.
import type { Locator, Page } from '@playwright/test';

export const form = (page: Page): Locator => page.getByRole('form', { name: 'Add an op' });

/** Opens the "Add an op" dialog by its button at the timeline, unless it is open already. */
export async function openForm(page: Page): Promise<Locator> {
  const f = form(page);
  if (!(await f.isVisible())) {
    await page.getByRole('button', { name: 'Add an op', exact: true }).click();
    await f.getByLabel('Op', { exact: true }).waitFor();
  }
  return f;
}

export async function addOp(
  page: Page,
  op: string,
  fields: Record<string, string | boolean> = {},
): Promise<void> {
  const f = await openForm(page);
  await f.getByLabel('Op', { exact: true }).selectOption(op);
  for (const [label, value] of Object.entries(fields)) {
    const el: Locator = f.getByLabel(new RegExp(`^${label}( \\(optional\\))?$`));
    if (typeof value === 'boolean') await el.setChecked(value);
    else if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  await f.getByRole('button', { name: `Add ${op}` }).click();
}
