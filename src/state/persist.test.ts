import { describe, expect, it } from 'vitest';
import { seedStory } from '../scenario/presets/seedStory.ts';
import type { ScenarioDoc } from '../scenario/index.ts';
import { encodeLink } from '../share/index.ts';
import { loadRecent, loadWork, saveWork, startup, type KeyValue } from './persist.ts';

const memory = (): KeyValue & { map: Map<string, string> } => {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const mine: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  title: 'mine',
  ops: [{ op: 'process', name: 'bash' }],
};
const theirs: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
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
