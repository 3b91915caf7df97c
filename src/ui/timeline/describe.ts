// What a timeline row says: the op in a few words (from the document, as the user wrote it) and
// what came of it (from the run record). Pure functions, so they are easy to test.
import { parseU64 } from '../../engine/index.ts';
import type { Attempt } from '../../kernel/index.ts';
import type { OpDoc, OpRecord } from '../../scenario/index.ts';

/** 0x7f0000002000 → "0x7f00_0000_2000" (groups of four hex digits from the right). */
export function groupHex(v: bigint | number): string {
  const h = BigInt(v).toString(16);
  const parts: string[] = [];
  for (let end = h.length; end > 0; end -= 4) parts.unshift(h.slice(Math.max(0, end - 4), end));
  return `0x${parts.join('_')}`;
}

/** A document address string ("0x7f00_0000_0000", "4096") shown the same way as results. */
export function addr(s: string | undefined): string {
  if (s === undefined) return '?';
  const v = parseU64(s);
  return v === undefined ? s : groupHex(v);
}

const range = (a: string, size: string): string => `${addr(a)} +${addr(size)}`;

function target(o: { domain?: string; dev?: string; proc?: string }): string {
  return o.domain ?? `${o.dev ?? '?'}/${o.proc ?? '?'}`;
}

/** "bind gpu ↔ game", "mmap ml 0x7f00_0000_0000 +0x1_0000 rw", … */
export function opSummary(o: OpDoc): string {
  switch (o.op) {
    case 'device': {
      const caps = [
        o.bus === 'platform' ? 'platform' : 'PCI',
        o.ats ? 'ATS' : '',
        o.pri ? 'PRI' : '',
        o.stall ? 'stall' : '',
        o.pasidBits ? `${o.pasidBits}-bit PASID` : '',
      ].filter(Boolean);
      return `device ${o.name} · SID ${groupHex(o.sid)} · ${caps.join(', ')}`;
    }
    case 'domain':
      return `domain ${o.name} (${o.type ?? 'dma'}${o.granule ? `, ${o.granule}` : ''})`;
    case 'attach':
      return `attach ${o.dev} → ${o.domain}`;
    case 'map':
      return `map ${target(o)} ${range(o.iova, o.size)} ${o.prot}${o.pa ? ` → ${addr(o.pa)}` : ''}`;
    case 'unmap':
      return `unmap ${target(o)} ${range(o.iova, o.size)}`;
    case 'process':
      return `process ${o.name}${o.pid !== undefined ? ` (pid ${o.pid})` : ''}`;
    case 'mmap':
      return `mmap ${o.proc} ${range(o.addr, o.size)} ${o.prot}${o.populate ? ' populate' : ''}`;
    case 'mprotect':
      return `mprotect ${o.proc} ${range(o.addr, o.size)} ${o.prot}`;
    case 'munmap':
    case 'pin':
    case 'unpin':
    case 'reclaim':
      return `${o.op} ${o.proc} ${range(o.addr, o.size)}`;
    case 'touch':
      return `touch ${o.proc} ${o.access} ${addr(o.addr)}`;
    case 'bind':
      return `bind ${o.dev} ↔ ${o.proc}${o.tables === 'private' ? ' (private tables)' : ''}`;
    case 'unbind':
      return `unbind ${o.dev} ↔ ${o.proc}`;
    case 'exit':
      return `exit ${o.proc}`;
    case 'dma': {
      const who = o.dev ?? `SID ${o.sid ?? '?'}`;
      const pasid = o.pasid ?? o.ssid;
      return [
        'dma',
        who,
        pasid !== undefined ? `PASID ${pasid}` : '',
        `${o.access}${o.priv ? ' (priv)' : ''}`,
        addr(o.addr),
        o.count && o.count > 1 ? `×${o.count}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'write64':
      return `write64 [${addr(o.pa)}] ← ${addr(o.value)}`;
    case 'reg':
      return `reg ${o.name.toUpperCase().replace(/^SMMU_/, '')} ← ${addr(o.value)}`;
    case 'cmd': {
      const fields = Object.entries(o)
        .filter(([k]) => k !== 'op' && k !== 'name')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? addr(v) : String(v)}`);
      return `cmd ${o.name.toUpperCase().replace(/^CMD_/, '')}${fields.length ? ' ' + fields.join(' ') : ''}`;
    }
  }
}

export type Tone = 'ok' | 'error' | 'fault' | 'info';

export interface ResultText {
  readonly text: string;
  readonly tone: Tone;
}

/**
 * How a fault was answered. Only two answers retry the access: a PRI response Success (the
 * device sends its Translation Request again) and CMD_RESUME with Retry (the SMMU translates the
 * stalled transaction again). InvalidRequest and ResponseFailure end the access at the device;
 * CMD_RESUME with Abort terminates the stalled transaction (smmuv3.md §7.2, §8).
 */
function answered(then: NonNullable<Attempt['then']>, waiting: boolean): string {
  if (then.by === 'pri')
    return `PRI ${then.response}${then.response === 'SUCCESS' ? ' → retried' : ''}`;
  if (then.response === 'SUCCESS') return 'stall → CMD_RESUME retry';
  return waiting ? 'stall, no CMD_RESUME yet' : 'stall → CMD_RESUME abort';
}

/** "PASID 2", "-ESRCH", "PA 0x4044_0000", "dma: translated → PA …", "dma: fault F_TRANSLATION". */
export function recordResult(r: OpRecord): ResultText {
  if (r.status === 'error') return { text: r.error ?? 'error', tone: 'error' };
  if (r.dma) {
    const d = r.dma;
    const answers = d.attempts.flatMap((a, i) =>
      a.then ? [answered(a.then, i === d.attempts.length - 1 && d.outcome === 'stalled')] : [],
    );
    const via = answers.length ? ` · ${answers.join(', ')}` : '';
    if (d.totals && d.totals.translated + d.totals.faults > 1) {
      const n = d.totals.translated + d.totals.faults;
      return {
        text: `dma: ${d.totals.translated}/${n} translated${d.totals.faults ? `, ${d.totals.faults} failed` : ''}`,
        tone: d.totals.faults ? 'fault' : 'ok',
      };
    }
    switch (d.outcome) {
      case 'translated':
        return { text: `dma: translated → PA ${groupHex(d.pa ?? 0n)}${via}`, tone: 'ok' };
      case 'fault': {
        let name = r.events[0]?.event.name;
        for (const a of d.attempts) if (a.outcome.type === 'fault') name = a.outcome.event.name;
        return { text: `dma: fault ${name ?? ''}`.trim() + via, tone: 'fault' };
      }
      case 'stalled':
        return { text: `dma: stalled${via}`, tone: 'fault' };
      case 'aborted':
        return { text: `dma: aborted${via}`, tone: 'fault' };
    }
  }
  if (r.pasid !== undefined)
    return {
      text: r.op.op === 'unbind' ? `PASID ${r.pasid} freed` : `PASID ${r.pasid}`,
      tone: 'ok',
    };
  if (r.pid !== undefined) return { text: `pid ${r.pid}`, tone: 'info' };
  if (r.pa !== undefined) return { text: `PA ${groupHex(r.pa)}`, tone: 'info' };
  if (r.pages !== undefined)
    return { text: `${r.pages} page${r.pages === 1 ? '' : 's'}`, tone: 'info' };
  if (r.bytes !== undefined) return { text: `${groupHex(r.bytes)} bytes`, tone: 'info' };
  return { text: 'ok', tone: 'info' };
}
