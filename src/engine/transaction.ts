// An incoming transaction (§3.2, §3.9) and what became of it.
import type { EventRecord } from './events.ts';

export type Access = 'r' | 'w' | 'x';

export interface Transaction {
  readonly sid: number;
  /** SubstreamID (PASID); undefined when the transaction carries none (SSV=0). */
  readonly ssid?: number | undefined;
  readonly addr: bigint;
  /** 'x' is an instruction fetch (a read with InD=1). */
  readonly access: Access;
  /** PnU: privileged. */
  readonly priv: boolean;
}

/** Termination as CD.A / STE decides it (§5.5): abort to the device, or RAZ/WI. */
export type Termination = 'abort' | 'raz-wi';

export type Outcome =
  | {
      readonly type: 'translated';
      readonly pa: bigint;
      /** Which stages actually translated (bypass shows as none). */
      readonly stages: 'none' | 's1' | 's2' | 's1+s2';
      /** Permissions of the final translation, for ATS completions. */
      readonly perms?: { read: boolean; write: boolean; exec: boolean };
      readonly sizeShift?: number;
    }
  | { readonly type: 'fault'; readonly event: EventRecord; readonly termination: Termination }
  | { readonly type: 'stalled'; readonly event: EventRecord; readonly stag: number }
  | {
      readonly type: 'aborted';
      readonly reason: string;
      /** The event the fault would have been, when it was not recorded (CD.R=0, queue full…). */
      readonly event?: EventRecord;
      readonly termination: Termination;
    };

export const isRead = (a: Access): boolean => a !== 'w';
