// Document → Scenario: schema check, then the rules that need context (granule alignment, command
// fields, register names), each failing with one line naming the op index and field.
import {
  COMMAND_FIELD_ALIASES,
  DEFAULT_SMMU,
  granuleFromName,
  hex,
  lookupCommand,
  parseU64,
  regName,
  WRITABLE_REGS,
  type GranuleShift,
  type SmmuPlatform,
} from '../engine/index.ts';
import type { OpDoc, ScenarioDoc } from './format.ts';
import {
  DEFAULT_CPU,
  permsOf,
  type CpuPlatform,
  type MapTarget,
  type Op,
  type Scenario,
} from './ops.ts';
import { describeIssue, scenarioSchema } from './schema.ts';

export type Parsed =
  { ok: true; scenario: Scenario; doc: ScenarioDoc } | { ok: false; error: string };

class DocError extends Error {}

const fail = (where: string, msg: string): never => {
  throw new DocError(`${where}: ${msg}`);
};

/** Parses JSON text or an already-parsed value. Never throws. */
export function parseScenario(input: unknown): Parsed {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, error: `(document): not valid JSON — ${(e as Error).message}` };
    }
  }
  const r = scenarioSchema.safeParse(value);
  if (!r.success) return { ok: false, error: describeIssue(r.error.issues, value) };
  const doc = r.data as ScenarioDoc;
  try {
    return { ok: true, scenario: toScenario(doc), doc };
  } catch (e) {
    if (e instanceof DocError) return { ok: false, error: e.message };
    throw e;
  }
}

const big = (s: string): bigint => parseU64(s)!;

function platformOf(doc: ScenarioDoc): { smmu: SmmuPlatform; cpu: CpuPlatform } {
  const s = doc.platform?.smmu ?? {};
  const c = doc.platform?.cpu ?? {};
  const { ramBase, ramSize, ...rest } = s;
  const base = ramBase !== undefined ? big(ramBase) : DEFAULT_SMMU.ram[0]!.base;
  const size = ramSize !== undefined ? big(ramSize) : DEFAULT_SMMU.ram[0]!.size;
  if (base % 0x1000n !== 0n) fail('platform.smmu.ramBase', 'must be a multiple of 0x1000');
  if (size < 0x100_0000n || size % 0x1000n !== 0n)
    fail('platform.smmu.ramSize', 'must be a multiple of 0x1000 and at least 16 MB');
  const smmu: SmmuPlatform = {
    ...DEFAULT_SMMU,
    ...(rest as Partial<SmmuPlatform>),
    ram: [{ base, size }],
  };
  if (base + size > 1n << BigInt(smmu.oas))
    fail('platform.smmu.ramSize', `RAM ends beyond the ${smmu.oas}-bit OAS`);
  const cpu: CpuPlatform = {
    granule: granuleFromName(c.granule ?? '4K') ?? DEFAULT_CPU.granule,
    vaBits: c.vaBits ?? DEFAULT_CPU.vaBits,
    asidBits: c.asidBits ?? DEFAULT_CPU.asidBits,
  };
  return { smmu, cpu };
}

function toScenario(doc: ScenarioDoc): Scenario {
  const platform = platformOf(doc);
  const pageSize = 1n << BigInt(platform.cpu.granule);
  // Domain granules by name, as the ops declare them (for map/unmap alignment).
  const domainGranule = new Map<string, GranuleShift>();
  const ops = doc.ops.map((o, i) => {
    const at = `ops[${i}]`;
    const aligned = (field: string, v: bigint, unit: bigint): void => {
      if (v % unit !== 0n) fail(`${at}.${field}`, `must be a multiple of ${hex(unit)}`);
    };
    const nonZero = (field: string, v: bigint): void => {
      if (v === 0n) fail(`${at}.${field}`, 'must not be 0');
    };
    const cpuRange = (addr: string, size: string): [bigint, bigint] => {
      const a = big(addr);
      const s = big(size);
      aligned('addr', a, pageSize);
      aligned('size', s, pageSize);
      nonZero('size', s);
      if (a + s > 1n << BigInt(platform.cpu.vaBits))
        fail(
          `${at}.size`,
          `the range ends beyond the ${platform.cpu.vaBits}-bit user address space`,
        );
      return [a, s];
    };
    return toOp(o, at, { platform, cpuRange, aligned, nonZero, domainGranule });
  });
  if (doc.cursor && doc.cursor.op >= Math.max(ops.length, 1))
    fail('cursor.op', `must point at one of the ${ops.length} ops`);
  return { title: doc.title, kernel: doc.kernel ?? 'rfc2017', platform, ops, cursor: doc.cursor };
}

interface OpCtx {
  platform: { smmu: SmmuPlatform; cpu: CpuPlatform };
  cpuRange: (addr: string, size: string) => [bigint, bigint];
  aligned: (field: string, v: bigint, unit: bigint) => void;
  nonZero: (field: string, v: bigint) => void;
  domainGranule: Map<string, GranuleShift>;
}

function mapTarget(
  o: { domain?: string | undefined; dev?: string | undefined; proc?: string | undefined },
  at: string,
): MapTarget {
  if (o.domain !== undefined) {
    if (o.dev !== undefined || o.proc !== undefined)
      fail(`${at}.domain`, 'give either "domain" or "dev" with "proc", not both');
    return { kind: 'domain', domain: o.domain };
  }
  if (o.dev === undefined || o.proc === undefined)
    fail(`${at}.${o.dev === undefined ? 'dev' : 'proc'}`, 'required (or give "domain")');
  return { kind: 'private', dev: o.dev!, proc: o.proc! };
}

function toOp(o: OpDoc, at: string, c: OpCtx): Op {
  const cpuPage = 1n << BigInt(c.platform.cpu.granule);
  switch (o.op) {
    case 'device':
      return {
        op: 'device',
        name: o.name,
        sid: o.sid,
        bus: o.bus ?? 'pci',
        pasidBits: o.pasidBits ?? 0,
        ats: o.ats ?? false,
        pri: o.pri ?? false,
        stall: o.stall ?? false,
      };
    case 'domain': {
      const granule = o.granule ? granuleFromName(o.granule) : undefined;
      c.domainGranule.set(o.name, granule ?? c.platform.cpu.granule);
      return { op: 'domain', name: o.name, type: o.type ?? 'dma', granule };
    }
    case 'attach':
      return { op: 'attach', dev: o.dev, domain: o.domain };
    case 'map':
    case 'unmap': {
      const target = mapTarget(o, at);
      const unit =
        1n <<
        BigInt(
          target.kind === 'domain'
            ? (c.domainGranule.get(target.domain) ?? c.platform.cpu.granule)
            : c.platform.cpu.granule,
        );
      const iova = big(o.iova);
      const size = big(o.size);
      c.aligned('iova', iova, unit);
      c.aligned('size', size, unit);
      c.nonZero('size', size);
      if (iova + size > 1n << 48n)
        fail(`${at}.size`, 'the range ends beyond the 48-bit IOVA space');
      if (o.op === 'unmap') return { op: 'unmap', target, iova, size };
      const pa = o.pa !== undefined ? big(o.pa) : undefined;
      if (pa !== undefined) c.aligned('pa', pa, unit);
      return { op: 'map', target, iova, size, prot: permsOf(o.prot), pa };
    }
    case 'process':
      return { op: 'process', name: o.name, pid: o.pid };
    case 'mmap': {
      const [addr, size] = c.cpuRange(o.addr, o.size);
      return {
        op: 'mmap',
        proc: o.proc,
        addr,
        size,
        prot: permsOf(o.prot),
        populate: o.populate ?? false,
      };
    }
    case 'munmap':
    case 'pin':
    case 'unpin':
    case 'reclaim': {
      const [addr, size] = c.cpuRange(o.addr, o.size);
      return { op: o.op, proc: o.proc, addr, size };
    }
    case 'mprotect': {
      const [addr, size] = c.cpuRange(o.addr, o.size);
      return { op: 'mprotect', proc: o.proc, addr, size, prot: permsOf(o.prot) };
    }
    case 'touch':
      return { op: 'touch', proc: o.proc, addr: big(o.addr), access: o.access };
    case 'bind':
      return { op: 'bind', dev: o.dev, proc: o.proc, tables: o.tables ?? 'shared' };
    case 'unbind':
      return { op: 'unbind', dev: o.dev, proc: o.proc };
    case 'exit':
      return { op: 'exit', proc: o.proc };
    case 'dma': {
      const who =
        o.dev !== undefined && o.sid === undefined
          ? ({ dev: o.dev, sid: undefined } as const)
          : o.sid !== undefined && o.dev === undefined
            ? ({ dev: undefined, sid: o.sid } as const)
            : fail(`${at}.dev`, 'give exactly one of "dev" (a device name) or "sid" (a StreamID)');
      if (o.pasid !== undefined && o.ssid !== undefined && o.pasid !== o.ssid)
        fail(`${at}.ssid`, '"ssid" is an alias of "pasid"; they disagree');
      const stride = o.stride !== undefined ? big(o.stride) : cpuPage;
      return {
        op: 'dma',
        ...who,
        pasid: o.pasid ?? o.ssid,
        addr: big(o.addr),
        access: o.access,
        priv: o.priv ?? false,
        count: o.count ?? 1,
        stride,
      };
    }
    case 'write64': {
      const pa = big(o.pa);
      c.aligned('pa', pa, 8n);
      return { op: 'write64', pa, value: big(o.value) };
    }
    case 'reg': {
      const n = regName(o.name);
      if (!n) fail(`${at}.name`, `unknown register "${o.name}"`);
      if (!WRITABLE_REGS.includes(n!)) fail(`${at}.name`, `SMMU_${n} is read-only`);
      return { op: 'reg', name: n!, value: big(o.value) };
    }
    case 'cmd':
      return cmdOp(o, at);
  }
}

function cmdOp(o: Record<string, unknown> & { name: string }, at: string): Op {
  const spec = lookupCommand(o.name);
  if (!spec) fail(`${at}.name`, `unknown command "${o.name}"`);
  const fields: Record<string, bigint> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'op' || k === 'name') continue;
    if (spec!.name === 'CMD_RESUME' && k === 'resp') {
      // Linux packs Ac/Ab as CMDQ_RESUME_0_RESP: TERM=0, RETRY=1, ABORT=2 (arm-smmu-v3.h).
      const i =
        typeof v === 'string'
          ? ['term', 'retry', 'abort'].indexOf(v.toLowerCase())
          : typeof v === 'number'
            ? v
            : -1;
      if (i < 0 || i > 2) fail(`${at}.resp`, 'must be "retry", "abort" or "term" (or 1, 2, 0)');
      fields['Ac'] = i === 1 ? 1n : 0n;
      fields['Ab'] = i === 2 ? 1n : 0n;
      continue;
    }
    const specName = COMMAND_FIELD_ALIASES[k] ?? k;
    const fd = spec!.fields[specName];
    if (!fd || specName === 'Opcode') fail(`${at}.${k}`, `${spec!.name} has no field "${k}"`);
    let value: bigint | undefined;
    if (typeof v === 'boolean') value = v ? 1n : 0n;
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) value = BigInt(v);
    else if (typeof v === 'string')
      value = specName === 'Resp' ? (respValue(spec!.name, v) ?? parseU64(v)) : parseU64(v);
    if (value === undefined) fail(`${at}.${k}`, 'must be a number, a "0x…" string or true/false');
    const shift = specName === 'Address' ? 12 : specName === 'MSIAddress' ? 2 : 0;
    const width = BigInt(fd!.hi - fd!.lo + 1 + shift);
    if (value! >= 1n << width)
      fail(`${at}.${k}`, `does not fit ${spec!.name}.${specName} (${fd!.hi - fd!.lo + 1} bits)`);
    fields[specName] = value!;
  }
  return { op: 'cmd', name: o.name, fields };
}

/** PRI_RESP.Resp may be given by name: failure / invalid / success (§8.3). */
function respValue(cmd: string, v: string): bigint | undefined {
  if (cmd !== 'CMD_PRI_RESP') return undefined;
  const i = ['failure', 'invalid', 'success'].indexOf(v.toLowerCase());
  return i < 0 ? undefined : BigInt(i);
}
