// JSON views of the importers' results, in the run-results event shape of scenario-format.md
// ("Run results"): numbers for IDs, SIDs, SSIDs and STAGs; "0x…" strings for addresses; raw
// dwords as 16-digit "0x…" strings. Extra keys say where the event came from.
import { CLASS_NAMES, EVENT_ID, hex, hex64 } from '../engine/index.ts';
import type { DecodedLogEvent, DmesgOk } from './dmesg.ts';
import type { CrossCheck } from './kernelPrint.ts';
import type { LogNote } from './notes.ts';

export interface EventJson {
  readonly name: string;
  readonly id: number;
  readonly sid: number;
  readonly ssv: boolean;
  readonly ssid: number;
  readonly stall: boolean;
  readonly stag: number;
  readonly rnw: boolean;
  readonly pnu: boolean;
  readonly ind: boolean;
  readonly s2: boolean;
  readonly class: string;
  readonly addr: string;
  readonly ipa: string;
  readonly raw: readonly string[];
  /** Only for the fetch-abort events, whose dw3 holds FetchAddr instead of an IPA. */
  readonly fetchAddr?: string;
  /** Only for F_PERMISSION with CLASS=TT, the one case where TTRnW is defined. */
  readonly ttrnw?: boolean;
}

export interface LogEventJson extends EventJson {
  readonly line: number;
  /** Dwords the log does not hold (`"dw2"`, …): their fields read as 0 above. */
  readonly missing?: readonly string[];
  readonly device?: string;
  readonly timestamp?: string;
  readonly kernel?: Record<string, unknown>;
  readonly crossCheck: readonly CrossCheck[];
  readonly notes: readonly string[];
}

export interface DmesgJson {
  readonly events: LogEventJson[];
  readonly other: LogNote[];
  readonly warnings: string[];
  /** What was not read, one line each (`line 7: …`). */
  readonly skipped: string[];
}

const FETCH_IDS = new Set<number>([
  EVENT_ID.F_STE_FETCH,
  EVENT_ID.F_CD_FETCH,
  EVENT_ID.F_WALK_EABT,
  EVENT_ID.F_VMS_FETCH,
]);

export function eventJson(e: DecodedLogEvent): LogEventJson {
  const r = e.record;
  const out: LogEventJson = {
    name: r.name,
    id: r.id,
    sid: r.sid,
    ssv: r.ssv,
    ssid: r.ssid,
    stall: r.stall,
    stag: r.stag,
    rnw: r.rnw,
    pnu: r.pnu,
    ind: r.ind,
    s2: r.s2,
    // From the raw CLASS bits, so the reserved value 3 shows as 'reserved' rather than 'IN'.
    class: CLASS_NAMES[e.classIndex] ?? r.class,
    addr: hex(r.addr),
    ipa: hex(r.ipa),
    raw: e.raw.map(hex64),
    ...(FETCH_IDS.has(r.id) ? { fetchAddr: hex(r.fetchAddr) } : {}),
    ...(r.id === EVENT_ID.F_PERMISSION && e.classIndex === 1 ? { ttrnw: r.ttrnw } : {}),
    line: e.line,
    ...(e.missing ? { missing: e.missing.map((k) => `dw${k}`) } : {}),
    ...(e.device === undefined ? {} : { device: e.device }),
    ...(e.timestamp === undefined ? {} : { timestamp: e.timestamp }),
    ...(e.kernel ? { kernel: kernelJson(e.kernel) } : {}),
    crossCheck: e.crossCheck,
    notes: e.notes,
  };
  return out;
}

function kernelJson(k: NonNullable<DecodedLogEvent['kernel']>): Record<string, unknown> {
  const { event: ev, access } = k;
  return {
    line: ev.line,
    name: ev.name,
    client: ev.client,
    sid: ev.sid,
    ssid: ev.ssid,
    ...(ev.iova === undefined ? {} : { iova: hex(ev.iova) }),
    ...(ev.ipa === undefined ? {} : { ipa: hex(ev.ipa) }),
    ...(ev.fetchAddr === undefined ? {} : { fetchAddr: hex(ev.fetchAddr) }),
    ...(access ? { access } : {}),
  };
}

export const dmesgJson = (r: DmesgOk): DmesgJson => ({
  events: r.events.map(eventJson),
  other: r.other,
  warnings: r.warnings,
  skipped: r.skipped.map((s) => s.message),
});
