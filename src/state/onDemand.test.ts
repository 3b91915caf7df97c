// The page loads the document schema and the link codec on demand (scenario loadValidation, share
// loadCodec). Before they are here the default page still opens, saves its work at once and
// writes its link when the codec arrives; a link pasted meanwhile is opened once both are here.
import { describe, expect, it, vi } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import type { KeyValue } from './persist.ts';

const memory = (): KeyValue => {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const theirs: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'theirs',
  ops: [{ op: 'process', name: 'zsh' }],
};

/** The layers anew, as the page starts: nothing installed (the test setup installed its copies). */
async function fresh() {
  vi.resetModules();
  const scenario = await import('../scenario/index.ts');
  const share = await import('../share/index.ts');
  const state = await import('./index.ts');
  return { scenario, share, state };
}
/** Lets dynamic imports and their continuations run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('before the schema and the codec have loaded', () => {
  it('the default page opens, saves at once and writes its link once the codec is here', async () => {
    const { scenario, share, state } = await fresh();
    expect(scenario.validationLoaded() || share.codecLoaded()).toBe(false);
    const store = state.createAppStore(scenario.seedStory);
    const storage = memory();
    const replaceHash = vi.fn<(fragment: string) => void>();
    state.startUrlSync(store, { storage, replaceHash, delayMs: 0 });
    await new Promise((r) => setTimeout(r, 1));
    // Saved before the codec was asked for; the fragment follows it.
    expect(storage.getItem(state.WORK_KEY)).toBe(JSON.stringify(scenario.seedStory));
    await settle();
    expect(share.codecLoaded()).toBe(true);
    expect(scenario.validationLoaded()).toBe(false); // writing a link needs no schema
    expect(replaceHash).toHaveBeenCalledTimes(1);
    expect(replaceHash.mock.calls[0]![0]).toBe(state.linkFor(store.getState()));
  });

  it('a link pasted before they arrive is opened when they have', async () => {
    const { scenario, share, state } = await fresh();
    const store = state.createAppStore(scenario.seedStory);
    const sync = state.startUrlSync(store, {
      storage: memory(),
      replaceHash: () => {},
      delayMs: 0,
    });
    await share.loadCodec();
    const link = share.encodeLink(theirs);
    expect(scenario.validationLoaded()).toBe(false);
    sync.onHash(link);
    expect(store.getState().doc).toBe(scenario.seedStory); // not yet: the schema is loading
    await settle();
    expect(scenario.validationLoaded()).toBe(true);
    expect(store.getState().doc).toMatchObject({ title: 'theirs', ops: theirs.ops });
    sync.stop();
  });
});
