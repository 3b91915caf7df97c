// Assembling the plans of replayPlan.ts into one scenario document, in three phases:
//   A. transactions from StreamIDs no device has (C_BAD_STREAMID), before any device is probed,
//      so that no level-2 stream table exists for them yet;
//   B. the kernel's state: devices (one per StreamID), their domains, the processes holding the
//      PASIDs (bound in ascending order: PASIDs are allocated from 1, so PASID n needs n binds),
//      their pages, and DMA-domain mappings;
//   C. per event: the hand-written STE/CD change if any (write64 + CMD_CFGI_* + CMD_SYNC), the
//      transaction, and the word put back.
import { hex, setField } from '../engine/index.ts';
import type { OpDoc, ScenarioDoc } from '../scenario/index.ts';
import type { DeviceNeeds, Patch, Recipe } from './replayPlan.ts';

export interface Planned {
  /** Key of the event (its group index). */
  readonly key: number;
  readonly recipe: Recipe;
  /** The device name the log gives (the v6.15 print's `client:`), if any. */
  readonly client?: string;
}

/** Where a patched word lives and what it held (from a probe run). */
export interface Located {
  readonly pa: bigint;
  readonly words: readonly bigint[];
}

export const patchKey = (sid: number, p: Patch): string => `${sid}:${p.struct}:${p.ssid ?? '-'}`;

export interface Assembled {
  readonly doc: ScenarioDoc;
  /** Index of each event's transaction in doc.ops, by key. */
  readonly triggers: Map<number, number>;
  /** Keys dropped while assembling, with the reason (conflicting needs on one StreamID). */
  readonly conflicts: Map<number, string>;
  /** Sentences about the whole replay (devices made platform devices, …). */
  readonly notes: string[];
  /** Probe transactions appended (probe runs only), by patch key. */
  readonly probes: Map<string, number>;
}

const NAME = /^[A-Za-z0-9_.:+-]{1,40}$/;
const PCI_BDF = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;
/** StreamIDs per level-2 stream table in Linux (STRTAB_SPLIT) and in the kernel model. */
const SPLIT = 8;
const bitsFor = (n: number): number => (n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1);

interface DeviceSpec extends DeviceNeeds {
  name: string;
  pci: boolean;
}

function mergeDevices(planned: readonly Planned[], conflicts: Map<number, string>) {
  const devices = new Map<number, DeviceSpec>();
  const used = new Set<string>();
  for (const p of planned) {
    const need = p.recipe.device;
    if (!need) continue;
    const sid = p.recipe.sid;
    const cur = devices.get(sid);
    if (!cur) {
      const client = p.client && NAME.test(p.client) && !used.has(p.client) ? p.client : undefined;
      const name = client ?? `dev-${hex(sid)}`;
      used.add(name);
      devices.set(sid, { ...need, name, pci: client !== undefined && PCI_BDF.test(client) });
      continue;
    }
    const bits = Math.max(cur.pasidBits, need.pasidBits);
    const max = Math.min(cur.maxPasidBits ?? 20, need.maxPasidBits ?? 20);
    const why =
      cur.domain !== need.domain
        ? `another event of SID ${hex(sid)} needs its RID in ${cur.domain === 'dma' ? 'a DMA' : 'an identity'} domain`
        : bits > max
          ? `another event of SID ${hex(sid)} needs a CD table of ${bits > need.pasidBits ? 'more' : 'fewer'} PASIDs`
          : undefined;
    if (why) conflicts.set(p.key, why);
    else
      devices.set(sid, {
        ...cur,
        stall: cur.stall || need.stall,
        pasidBits: bits,
        ...(max < 20 ? { maxPasidBits: max } : {}),
      });
  }
  return devices;
}

export function assemble(
  all: readonly Planned[],
  located?: ReadonlyMap<string, Located>,
): Assembled {
  const conflicts = new Map<number, string>();
  const notes: string[] = [];
  const devices = mergeDevices(all, conflicts);
  // Linux fills a whole level-2 stream table with abort STEs when it probes one device of it
  // (arm_smmu_init_l2_strtab; SPLIT=8 StreamIDs per table): a StreamID in that range has an STE.
  const groups = new Set([...devices.keys()].map((sid) => sid >>> SPLIT));
  for (const p of all)
    if (!p.recipe.device && groups.has(p.recipe.sid >>> SPLIT)) {
      const lo = (p.recipe.sid >>> SPLIT) << SPLIT;
      conflicts.set(
        p.key,
        `SID ${hex(p.recipe.sid)} shares a level-2 stream table (SIDs ${hex(lo)}–${hex(lo + (1 << SPLIT) - 1)}) with a device another event needs: Linux writes an abort STE for every SID of that table, so this one would have an STE`,
      );
    }
  const planned = all.filter((p) => !conflicts.has(p.key));
  const ops: OpDoc[] = [];
  const triggers = new Map<number, number>();
  const probes = new Map<string, number>();
  const dma = (p: Planned, dev: DeviceSpec | undefined): OpDoc => {
    const t = p.recipe.trigger;
    const who = t.bare || !dev ? { sid: p.recipe.sid } : { dev: dev.name };
    return {
      op: 'dma',
      ...who,
      ...(t.ssid === undefined ? {} : t.bare ? { ssid: t.ssid } : { pasid: t.ssid }),
      addr: hex(t.addr),
      access: t.access,
      ...(t.priv ? { priv: true } : {}),
    };
  };
  // The kernel boots (the driver's probe done) when the document has a kernel-level op: with no
  // device at all, a first process stands for the running system.
  if (devices.size === 0) ops.push({ op: 'process', name: 'init', pid: 1 });
  // A: StreamIDs without a device.
  for (const p of planned)
    if (!p.recipe.device) {
      triggers.set(p.key, ops.length);
      ops.push(dma(p, undefined));
    }
  // B: devices, domains, processes, pages.
  for (const [sid, d] of [...devices].sort((a, b) => a[0] - b[0])) {
    const stallPci = d.pci && d.stall;
    if (stallPci)
      notes.push(
        `${d.name} is a PCIe function that stalls (Linux lets integrated endpoints described with dma-can-stall do so); the model lets only platform devices stall (§3.12), so it is a platform device here.`,
      );
    ops.push({
      op: 'device',
      name: d.name,
      sid,
      bus: d.pci && !d.stall ? 'pci' : 'platform',
      ...(d.pasidBits ? { pasidBits: d.pasidBits } : {}),
      ...(d.stall ? { stall: true } : {}),
    });
    ops.push({ op: 'domain', name: `${d.name}-dom`, type: d.domain });
    ops.push({ op: 'attach', dev: d.name, domain: `${d.name}-dom` });
  }
  const pasids = new Map<number, Set<number>>(); // PASID → StreamIDs that need it bound
  for (const p of planned)
    if (p.recipe.pasid !== undefined) {
      const s = pasids.get(p.recipe.pasid) ?? new Set<number>();
      s.add(p.recipe.sid);
      pasids.set(p.recipe.pasid, s);
    }
  const maxPasid = Math.max(0, ...pasids.keys());
  // Fillers (PASIDs below the highest that no event needs) go to the device with the most bits.
  const widest = [...devices].sort((a, b) => b[1].pasidBits - a[1].pasidBits)[0];
  for (let n = 1; n <= maxPasid; n++) {
    const proc = `pasid${n}`;
    ops.push({ op: 'process', name: proc });
    const sids =
      pasids.get(n) ?? new Set(widest && bitsFor(n) <= widest[1].pasidBits ? [widest[0]] : []);
    for (const sid of [...sids].sort((a, b) => a - b)) {
      const d = devices.get(sid);
      if (d) ops.push({ op: 'bind', dev: d.name, proc });
    }
  }
  const mapped = new Set<string>();
  for (const p of planned) {
    const r = p.recipe;
    const d = devices.get(r.sid);
    if (r.vma && r.pasid !== undefined) {
      const k = `${r.pasid}:${r.vma.addr}`;
      if (mapped.has(k)) continue;
      mapped.add(k);
      const proc = `pasid${r.pasid}`;
      ops.push({ op: 'mmap', proc, addr: hex(r.vma.addr), size: '0x1000', prot: r.vma.prot });
      ops.push({ op: 'touch', proc, addr: hex(r.vma.addr), access: r.vma.touch });
    }
    if (r.map && d) {
      const k = `${d.name}:${r.map.iova}`;
      if (mapped.has(k)) continue;
      mapped.add(k);
      ops.push({
        op: 'map',
        domain: `${d.name}-dom`,
        iova: hex(r.map.iova),
        size: '0x1000',
        prot: r.map.prot,
      });
    }
  }
  // Probe runs: one bare transaction per structure to patch, to learn its address and words.
  if (!located) {
    for (const p of planned) {
      const patch = p.recipe.patch;
      if (!patch) continue;
      const k = patchKey(p.recipe.sid, patch);
      if (probes.has(k)) continue;
      probes.set(k, ops.length);
      // CD 0 is read for traffic without a SubstreamID (S1DSS=SSID0); SubstreamID 0 is refused.
      ops.push({
        op: 'dma',
        sid: p.recipe.sid,
        ...(patch.ssid ? { ssid: patch.ssid } : {}),
        addr: '0x0',
        access: 'r',
      });
    }
  }
  // C: the transactions, each with its hand-written change around it.
  for (const p of planned) {
    if (!p.recipe.device) continue;
    const patch = p.recipe.patch;
    const at = patch ? located?.get(patchKey(p.recipe.sid, patch)) : undefined;
    if (patch && !at) {
      if (located) conflicts.set(p.key, 'the structure to change was not found in memory');
      continue;
    }
    const write = (value: bigint): OpDoc[] => {
      const sid = p.recipe.sid;
      return [
        { op: 'write64', pa: hex(at!.pa + BigInt(patch!.field.dw) * 8n), value: hex(value) },
        patch!.struct === 'ste'
          ? { op: 'cmd', name: 'CFGI_STE', sid, leaf: true }
          : { op: 'cmd', name: 'CFGI_CD', sid, ssid: patch!.ssid ?? 0, leaf: true },
        { op: 'cmd', name: 'SYNC' },
      ];
    };
    const dw = patch?.field.dw ?? 0;
    const old = at?.words[dw] ?? 0n;
    if (patch) ops.push(...write(setField([...(at?.words ?? [])], patch.field, patch.value)[dw]!));
    triggers.set(p.key, ops.length);
    ops.push(dma(p, devices.get(p.recipe.sid)));
    if (patch) ops.push(...write(old));
  }
  const sidBits = Math.max(16, ...[...devices.keys()].map(bitsFor));
  const doc: ScenarioDoc = {
    format: 'sva-explorer/scenario',
    version: 1,
    title: `Replay of ${triggers.size} event${triggers.size === 1 ? '' : 's'} from a pasted arm-smmu-v3 log`,
    kernel: 'mainline',
    ...(sidBits > 16 ? { platform: { smmu: { sidBits } } } : {}),
    ops,
  };
  return { doc, triggers, conflicts, notes, probes };
}
