// The "Add an op" form, driven as a user would: pick the op, fill each field by its label
// (text: typed, select: chosen, boolean: checked), press "Add <op>".
import type { Locator, Page } from '@playwright/test';

export const form = (page: Page): Locator => page.getByRole('form', { name: 'Add an op' });

export async function addOp(
  page: Page,
  op: string,
  fields: Record<string, string | boolean> = {},
): Promise<void> {
  const f = form(page);
  await f.getByLabel('Op', { exact: true }).selectOption(op);
  for (const [label, value] of Object.entries(fields)) {
    const el: Locator = f.getByLabel(new RegExp(`^${label}( \\(optional\\))?$`));
    if (typeof value === 'boolean') await el.setChecked(value);
    else if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  }
  await f.getByRole('button', { name: `Add ${op}` }).click();
}
