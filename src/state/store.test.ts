// The store refuses a document it cannot run, keeping the work: a validation error names the
// field; a platform the kernel cannot boot on (the SMMU probe fails, scenario openTimeline) is
// refused with the boot failure's own sentence, not a generic "the run failed" lead.
import { describe, expect, it } from 'vitest';
import { emptyScenario, seedStory, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { refusedLink } from './persist.ts';
import { createAppStore } from './store.ts';

const device: OpDoc = { op: 'device', name: 'gpu', sid: 1, bus: 'pci' };
const linear = (sidBits: number, ops: OpDoc[] = [device]): ScenarioDoc => ({
  ...emptyScenario(),
  platform: { smmu: { streamTable: 'linear', sidBits } },
  ops,
});

// arm_smmu_init_strtab_linear allocates 2^sid_bits STEs of 64 bytes in one coherent block; the
// model's largest block is 4 MB (the buddy allocator's with 4 KB pages): 16 bits fit, 17 do not.
const strtabBytes = (sidBits: number): bigint => (1n << BigInt(sidBits)) * 64n;
const MAX_BLOCK = 4n << 20n;

/** What a refusal for a platform that cannot boot must look like: one sentence, errno first. */
function expectBootRefusal(err: string | null, sidBits: number): void {
  expect(err).not.toBeNull();
  expect(err).toMatch(/^[^\n]+$/);
  expect(err).not.toMatch(/run failed/);
  expect(err!.startsWith('the kernel cannot boot on this platform: -ENOMEM: ')).toBe(true);
  expect(err).toContain(`${strtabBytes(sidBits)} bytes`);
  expect(err).toContain(`${sidBits}-bit StreamIDs`);
}

describe('the store refuses a platform the kernel cannot boot on', () => {
  it('the limit: a linear stream table fits one allocation at 16 StreamID bits, not at 17', () => {
    expect(strtabBytes(16) <= MAX_BLOCK).toBe(true);
    expect(strtabBytes(17) > MAX_BLOCK).toBe(true);
    const store = createAppStore(seedStory);
    expect(store.getState().setDoc(linear(16))).toBeNull();
    expect(store.getState().timeline.records[0]!.status).toBe('ok');
    expectBootRefusal(store.getState().setDoc(linear(17)), 17);
  });

  it('setDoc with 32-bit StreamIDs and a linear table: the boot failure’s sentence, work kept', () => {
    const store = createAppStore(seedStory);
    const before = store.getState();
    const err = store.getState().setDoc(linear(32));
    expectBootRefusal(err, 32);
    // It names the way out, and reads well after the link banner's lead.
    expect(err).toContain('2-level stream tables');
    expect(refusedLink(err!)).toMatch(
      /^The link was not opened: the kernel cannot boot on this platform: -ENOMEM: [^\n]+\. Your work is unchanged\.$/,
    );
    const after = store.getState();
    expect(after.doc).toBe(before.doc);
    expect(after.timeline).toBe(before.timeline);
    expect(after.past).toBe(before.past);
  });

  it('a bare SMMU on that platform runs; the first op needing the kernel is refused', () => {
    // No kernel op: the SMMU stays at reset, nothing is probed.
    const store = createAppStore(linear(32, []));
    expect(store.getState().timeline.length).toBe(0);
    expectBootRefusal(store.getState().appendOp(device), 32);
    expect(store.getState().doc.ops).toEqual([]);
    // Switching the profile keeps it bare: nothing to refuse.
    expect(store.getState().setKernel('mainline')).toBeNull();
    expect(store.getState().notice).toBeNull();
  });

  it('an initial document that cannot boot throws one line for the page to show', () => {
    let thrown: unknown;
    try {
      createAppStore(linear(32));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Error);
    const msg = (thrown as Error).message;
    expect(msg.startsWith('initial scenario is invalid: the kernel cannot boot')).toBe(true);
    expectBootRefusal(msg.replace(/^initial scenario is invalid: /, ''), 32);
  });

  it('a validation error still names the field', () => {
    const store = createAppStore(seedStory);
    const err = store.getState().appendOp({ op: 'exit' } as unknown as OpDoc);
    expect(err).toMatch(/^ops\[\d+\]\.proc: /);
  });
});
