// Checks the lens specs share: that a chain's structures lie inside the diagram pane, and the
// smallest diagram text the pane shows (its computed font size times the zoom).
import { expect, type Locator, type Page } from '@playwright/test';

/** Each selector's first match is drawn inside `pane`'s rectangle. */
export async function chainIsVisible(pane: Locator, selectors: readonly string[]): Promise<void> {
  const p = (await pane.boundingBox())!;
  for (const sel of selectors) {
    const b = await pane.page().locator(sel).first().boundingBox();
    expect(b, `${sel} is drawn`).not.toBeNull();
    expect(b!.x, `${sel} left`).toBeGreaterThanOrEqual(p.x - 1);
    expect(b!.y, `${sel} top`).toBeGreaterThanOrEqual(p.y - 1);
    expect(b!.x + b!.width, `${sel} right`).toBeLessThanOrEqual(p.x + p.width + 1);
    expect(b!.y + b!.height, `${sel} bottom`).toBeLessThanOrEqual(p.y + p.height + 1);
  }
}

/** The smallest rendered font size of diagram text inside the pane (CSS px after the zoom). */
export async function minFont(page: Page): Promise<{ min: number; what: string }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="diagram"]')!.getBoundingClientRect();
    const stage = document.querySelector<HTMLElement>('[data-testid="diagram-stage"]')!;
    const k = new DOMMatrix(getComputedStyle(stage).transform).a;
    let min = Infinity;
    let what = '';
    for (const t of document.querySelectorAll('[data-testid="diagram-svg"] text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || !t.textContent?.trim()) continue;
      if (r.right < canvas.left || r.left > canvas.right) continue;
      if (r.bottom < canvas.top || r.top > canvas.bottom) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * k;
      if (px < min) [min, what] = [px, `${t.getAttribute('class')}: ${t.textContent}`];
    }
    return { min, what };
  });
}
