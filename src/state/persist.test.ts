import { describe, expect, it } from 'vitest';
import { seedStory, type ScenarioDoc } from '../scenario/index.ts';
import { encodeLink } from '../share/index.ts';
import {
  loadRecent,
  loadWork,
  needsValidation,
  pushRecent,
  readWork,
  saveWork,
  startup,
  type KeyValue,
  type Startup,
} from './persist.ts';
import { createAppStore } from './store.ts';

const memory = (): KeyValue & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const mine: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'mine',
  ops: [{ op: 'process', name: 'bash' }],
};
const theirs: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'theirs',
  ops: [{ op: 'process', name: 'zsh' }],
  cursor: { op: 0, step: 3 },
};
const now = new Date('2026-11-25T10:00:00Z');

describe('startup', () => {
  it('opens the default scenario on a first visit', () => {
    expect(startup('', memory(), seedStory, now)).toEqual({
      doc: seedStory,
      cursor: undefined,
      notice: null,
    });
  });
  it('reopens saved work after a reload', () => {
    const kv = memory();
    saveWork(kv, mine);
    expect(startup('', kv, seedStory, now).doc).toEqual(loadWork(kv));
    expect(startup('', kv, seedStory, now).doc.title).toBe('mine');
  });
  it('opens a link at its moment and keeps the earlier work in Recent', () => {
    const kv = memory();
    saveWork(kv, mine);
    const s = startup(encodeLink(theirs), kv, seedStory, now);
    expect(s.doc.title).toBe('theirs');
    expect(s.cursor).toEqual({ op: 0, step: 3 });
    expect(s.notice).toMatch(/previous work is in Recent/);
    expect(loadRecent(kv).map((e) => e.title)).toEqual(['mine']);
  });
  it('reopens its own link after a reload without a banner or a Recent entry', () => {
    // The saved work spells numbers its own way; the link holds them in hex without underscores.
    const kv = memory();
    const spelled: ScenarioDoc = {
      ...mine,
      ops: [
        { op: 'process', name: 'bash' },
        { op: 'mmap', proc: 'bash', addr: '0x7f00_0000_0000', size: '65536', prot: 'rw' },
      ],
    };
    saveWork(kv, spelled);
    const s = startup(encodeLink({ ...spelled, cursor: { op: 1, step: 0 } }), kv, seedStory, now);
    expect(s).toEqual({ doc: spelled, cursor: { op: 1, step: 0 }, notice: null });
    expect(loadRecent(kv)).toEqual([]);
  });
  it('never replaces the work with a broken link', () => {
    const kv = memory();
    saveWork(kv, mine);
    const s = startup('#s=1.AAAA', kv, seedStory, now);
    expect(s.doc.title).toBe('mine');
    expect(s.notice).toMatch(/^The link was not opened: the link is damaged/);
    expect(loadRecent(kv)).toEqual([]);
  });
  it('ignores corrupt storage', () => {
    const kv = memory();
    kv.setItem('sva-explorer/work', '{not json');
    expect(startup('', kv, seedStory, now).doc).toEqual(seedStory);
  });
});

describe('startup when the chosen scenario does not run', () => {
  // `open` stands for createAppStore, which throws when the scenario's run throws.
  const failing =
    (bad: string) =>
    (s: Startup): Startup => {
      if (s.doc.title === bad) throw new Error('initial scenario is invalid: the run failed: boom');
      return s;
    };

  it('treats a link whose run fails as a bad link: the work opens, Recent is untouched', () => {
    const kv = memory();
    saveWork(kv, mine);
    const s = startup(encodeLink(theirs), kv, seedStory, now, failing('theirs'));
    expect(s).toEqual({
      doc: mine,
      cursor: undefined,
      notice: 'The link was not opened: the run failed: boom. Your work is unchanged.',
    });
    expect(loadRecent(kv)).toEqual([]);
    expect(loadWork(kv)).toEqual(mine);
  });

  it('opens the default when the saved work no longer runs, keeping the work in Recent', () => {
    const kv = memory();
    saveWork(kv, mine);
    const s = startup('', kv, seedStory, now, failing('mine'));
    expect(s.doc).toEqual(seedStory);
    expect(s.notice).toBe(
      'Your saved work could not be opened (the run failed: boom); it is in Recent.',
    );
    expect(loadRecent(kv).map((e) => e.doc)).toEqual([mine]);
  });

  it('lets the caller see a default that does not run (main.tsx shows a message)', () => {
    expect(() =>
      startup('', memory(), seedStory, now, () => {
        throw new Error('model bug');
      }),
    ).toThrow('model bug');
  });

  it('with the real store: a decodable link whose run fails never replaces the work', () => {
    // A linear stream table for 32-bit StreamIDs: 2^32 STEs (256 GB) do not fit the RAM.
    const huge: ScenarioDoc = {
      ...seedStory,
      platform: { smmu: { streamTable: 'linear', sidBits: 32 } },
    };
    const kv = memory();
    saveWork(kv, mine);
    pushRecent(kv, seedStory, now);
    const store = startup(encodeLink(huge), kv, seedStory, now, (s) =>
      createAppStore(s.doc, { cursor: s.cursor, notice: s.notice }),
    );
    expect(store.getState().doc).toEqual(mine);
    expect(store.getState().notice).toMatch(
      /^The link was not opened: .+\. Your work is unchanged\.$/,
    );
    expect(loadRecent(kv).map((e) => e.doc)).toEqual([seedStory]);
  });

  it('with the real store: a link that runs opens at its moment', () => {
    const kv = memory();
    const store = startup(
      encodeLink({ ...seedStory, cursor: { op: 26, step: 4 } }),
      kv,
      mine,
      now,
      (s) => createAppStore(s.doc, { cursor: s.cursor, notice: s.notice }),
    );
    const { doc } = store.getState();
    expect([doc.title, doc.ops.length]).toEqual([seedStory.title, seedStory.ops.length]);
    expect(store.getState().cursor).toEqual({ op: 26, step: 4 });
  });
});

describe('saved work that does not validate (was: silently replaced by the default)', () => {
  // A document an older or newer page might have saved: an op this page does not know.
  const stored = JSON.stringify({ ...mine, ops: [{ op: 'teleport', to: 'mars' }] });

  it('is kept in Recent as the text it was stored as, with the reason, and a banner says so', () => {
    const kv = memory();
    kv.setItem('sva-explorer/work', stored);
    const s = startup('', kv, seedStory, now);
    expect(s.doc).toEqual(seedStory);
    const why =
      'ops[0].op: unknown op "teleport" (expected one of device, domain, attach, map, unmap, process, mmap, munmap, mprotect, touch, pin, unpin, reclaim, bind, unbind, exit, dma, vm, vsmmu, vdevice, gwrite64, nest, ginv, write64, reg, cmd)';
    expect(s.notice).toBe(
      `Your saved work could not be opened (${why}); it is kept in Recent (Share ▸ Recent), where you can export it as JSON.`,
    );
    expect(loadRecent(kv)).toEqual([
      { savedAt: now.toISOString(), title: 'mine', ops: 1, text: stored, invalid: why },
    ]);
  });

  it('survives the page saving its own work over it, and a second reload', () => {
    const kv = memory();
    kv.setItem('sva-explorer/work', stored);
    const s = startup('', kv, seedStory, now);
    saveWork(kv, s.doc); // what urlSync does next
    expect(startup('', kv, seedStory, now).notice).toBeNull();
    expect(loadRecent(kv).map((e) => e.text)).toEqual([stored]);
  });

  it('is kept when a link opens instead, and both banners are shown', () => {
    const kv = memory();
    kv.setItem('sva-explorer/work', stored);
    const s = startup(encodeLink(theirs), kv, seedStory, now);
    expect(s.doc.title).toBe('theirs');
    expect(s.notice).toMatch(/^Your saved work could not be opened \(ops\[0\]\.op: unknown op/);
    expect(loadRecent(kv).map((e) => e.invalid !== undefined)).toEqual([true]);
  });

  it('keeps a stored text that is not even JSON', () => {
    const kv = memory();
    kv.setItem('sva-explorer/work', '{not json');
    expect(startup('', kv, seedStory, now).notice).toMatch(/^Your saved work could not be opened/);
    expect(loadRecent(kv)).toMatchObject([
      { title: 'saved work that does not open', ops: 0, text: '{not json' },
    ]);
  });

  it('keeps a Recent entry whose document stopped validating, as text to export', () => {
    const kv = memory();
    const old = { ...mine, ops: [{ op: 'teleport' }] };
    kv.setItem(
      'sva-explorer/recent',
      JSON.stringify([{ savedAt: now.toISOString(), title: 'old', ops: 1, doc: old }]),
    );
    expect(loadRecent(kv)).toMatchObject([{ title: 'old', text: JSON.stringify(old) }]);
    expect(loadRecent(kv)[0]!.invalid).toMatch(/^ops\[0\]\.op: unknown op "teleport"/);
  });
});

describe('fragments a chat client mangled (was: the default scenario, silently)', () => {
  it('opens #s%3D… as the link it was', () => {
    const kv = memory();
    const link = encodeLink(theirs);
    const mangled = `#s%3D${link.slice(3)}`;
    expect(startup(mangled, kv, seedStory, now)).toMatchObject({
      doc: { title: 'theirs' },
      cursor: { op: 0, step: 3 },
    });
    // Wholly percent-encoded after the #, and with a full stop glued on by a sentence.
    expect(startup(`#${encodeURIComponent(link.slice(1))}`, kv, seedStory, now).doc.title).toBe(
      'theirs',
    );
    expect(startup(`${link}).`, kv, seedStory, now).doc.title).toBe('theirs');
  });
  it('says so when the fragment holds no scenario, and opens the work', () => {
    const kv = memory();
    saveWork(kv, mine);
    const s = startup('#section-2', kv, seedStory, now);
    expect(s.doc.title).toBe('mine');
    expect(s.notice).toBe(
      'The link was not opened: this link holds no scenario (expected #s=…, found "#section-2"). Your work is unchanged.',
    );
  });
});

describe('needsValidation: what the page must check before it opens', () => {
  it('nothing on a first visit, nor for the untouched seed story it saved itself', () => {
    const kv = memory();
    expect(needsValidation('', kv)).toBe(false);
    saveWork(kv, seedStory);
    expect(needsValidation('', kv)).toBe(false);
    // …which reads back as the seed story without the schema.
    expect(readWork(kv)).toEqual({ kind: 'ok', doc: seedStory });
  });

  it('a link, edited saved work, or a Recent list', () => {
    expect(needsValidation(encodeLink(theirs), memory())).toBe(true);
    expect(needsValidation('#s=garbage', memory())).toBe(true);
    const kv = memory();
    saveWork(kv, mine);
    expect(needsValidation('', kv)).toBe(true);
    const recent = memory();
    pushRecent(recent, mine, now);
    expect(needsValidation('', recent)).toBe(true);
  });

  it('nothing when storage refuses to be read', () => {
    const kv: KeyValue = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {},
    };
    expect(needsValidation('', kv)).toBe(false);
  });
});
