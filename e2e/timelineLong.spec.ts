// A long timeline renders only the rows around what the list shows (useRowWindow). Whatever moves
// the cursor — the store, the keyboard, the time slider — the op's row is in the list's visible
// part in the frame that shows the op, and scrolling never leaves the view without rows.
import { expect, test, type Page } from '@playwright/test';

const N = 1200;
const ops = [
  { op: 'process', name: 'p' },
  { op: 'mmap', proc: 'p', addr: '0x7f00_0000_0000', size: '0x10_0000', prot: 'rw' },
  ...Array.from({ length: N - 2 }, (_, i) => ({
    op: 'touch',
    proc: 'p',
    addr: `0x${(0x7f00_0000_0000 + (i % 256) * 0x1000).toString(16)}`,
    access: i % 3 ? 'r' : 'w',
  })),
];

type Hook = {
  __sva: {
    store: {
      getState(): {
        setDoc(d: unknown, o: unknown): string | null;
        setCursor(op: number, step?: number): void;
      };
    };
  };
};

async function open(page: Page): Promise<void> {
  await page.goto('/?bench');
  await page.getByTestId('diagram-viewport').locator(':scope > *').first().waitFor();
  await page.evaluate((o) => {
    const err = (window as unknown as Hook).__sva.store
      .getState()
      .setDoc({ format: 'sva-explorer/scenario', version: 1, ops: o }, { record: false });
    if (err) throw new Error(err);
  }, ops);
  await expect(page.locator('.tl-count')).toContainText(`${N} ops`);
}

/** Where op `op`'s row is against the list's visible part, measured in one frame. */
const rowInView = (page: Page, op: number) =>
  page.evaluate((o) => {
    const list = document.querySelector('.tl-list')!.getBoundingClientRect();
    const row = document.querySelector(`.tl-list [data-op="${o}"]`);
    if (!row) return 'missing';
    if (!row.classList.contains('current')) return 'not current';
    const r = row.getBoundingClientRect();
    return r.top >= list.top - 1 && r.bottom <= list.bottom + 1 ? 'in view' : 'out of view';
  }, op);

/** Rows cover the list's visible part from top to bottom (no blank spacer shows): the gaps. */
const covered = (page: Page) =>
  page.evaluate(() => {
    const list = document.querySelector('.tl-list')!;
    const l = list.getBoundingClientRect();
    const x = l.left + l.width / 2;
    const gaps: number[] = [];
    for (let y = l.top + 2; y < l.bottom - 2; y += 20) {
      const el = document.elementFromPoint(x, y);
      // A spacer under the point: the rows do not reach it (rows sit 2 px apart, on the list).
      if (el?.matches('.tl-list > li:not([data-op])')) gaps.push(Math.round(y - l.top));
    }
    return gaps;
  });

test('a jump shows the op’s row in the same frame, forward and back', async ({ page }) => {
  await open(page);
  // Far and near, forward and back, and the two ends.
  for (const op of [900, 40, 41, 600, 598, 1199, 0, 700, 300]) {
    const where = await page.evaluate(
      ([o]) =>
        new Promise<string>((resolve) => {
          (window as unknown as Hook).__sva.store.getState().setCursor(o!, 0);
          // The next frame: the one that paints the op (before any scroll event could move the
          // window), with rows under the whole view.
          requestAnimationFrame(() => {
            const list = document.querySelector('.tl-list')!.getBoundingClientRect();
            const row = document.querySelector(`.tl-list [data-op="${o}"].current`);
            const r = row?.getBoundingClientRect();
            const x = list.left + list.width / 2;
            for (let y = list.top + 2; y < list.bottom - 2; y += 20)
              if (document.elementFromPoint(x, y)?.matches('.tl-list > li:not([data-op])'))
                return resolve(`a blank spacer ${Math.round(y - list.top)} px down the view`);
            if (!r) return resolve('missing');
            if (r.top < list.top - 1 || r.bottom > list.bottom + 1) return resolve('out');
            // The scroll the jump made does not move the window again (a second render of
            // every row): the rendered rows are the same two frames later.
            const rows = () =>
              [...document.querySelectorAll('.tl-list > [data-op]')]
                .map((e) => e.getAttribute('data-op'))
                .join();
            const before = rows();
            requestAnimationFrame(() =>
              requestAnimationFrame(() =>
                resolve(rows() === before ? 'in view' : 'in view, then the window moved'),
              ),
            );
          });
        }),
      [op],
    );
    expect(where, `op ${op}`).toBe('in view');
    expect(await covered(page), `op ${op}`).toEqual([]);
  }
});

test('the keyboard and the slider keep the row in view; scrolling keeps rows under the view', async ({
  page,
}) => {
  await open(page);
  await page.evaluate(() => (window as unknown as Hook).__sva.store.getState().setCursor(0, 0));
  await page.getByTestId('timeline-op-0').getByRole('button').first().click();
  for (let i = 0; i < 30; i++) await page.keyboard.press('j');
  await expect.poll(() => rowInView(page, 30)).toBe('in view');
  await expect(page.getByTestId('timeline-op-30').getByRole('button').first()).toBeFocused();
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('time-slider').fill('1000');
  await expect.poll(() => rowInView(page, 1000)).toBe('in view');
  // A scroll in small steps (the window moves with it) and a long one (the scrollbar dragged).
  const list = page.locator('.tl-list');
  const box = (await list.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 25; i++) {
    await page.mouse.wheel(0, i < 12 ? 130 : -170);
    await page.waitForTimeout(30);
    expect(await covered(page), `wheel ${i}`).toEqual([]);
  }
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 4));
  await expect.poll(() => covered(page)).toEqual([]);
});
