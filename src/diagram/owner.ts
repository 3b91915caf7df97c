// Who owns a CD or a translation-table tree, as the diagram names it: a domain (CD 0), a process
// (an SVA bind), a process that exited while bound (mainline), a private io-pgtable of one device
// and process, or nobody the kernel knows.
import { assertNever } from '../engine/index.ts';

export type Owner =
  | { readonly kind: 'domain'; readonly name: string }
  | { readonly kind: 'process'; readonly name: string; readonly pid: number }
  /**
   * mainline: an SVA CD whose process exited while bound. Its mm lives on (the SVA domain holds
   * it) with the PASID until the drivers' late unbind; arm_smmu_mm_release left the CD valid with
   * EPD0=1, so every access through it faults.
   */
  | {
      readonly kind: 'exited';
      readonly name: string;
      readonly pid: number;
      readonly pasid: number;
    }
  | { readonly kind: 'private'; readonly dev: string; readonly proc: string }
  | { readonly kind: 'unknown' };

export function ownerLabel(o: Owner): string {
  switch (o.kind) {
    case 'domain':
      return `domain ${o.name}`;
    case 'process':
      return `${o.name} (pid ${o.pid})`;
    case 'exited':
      return `${o.name} (pid ${o.pid}, exited: its mm holds PASID ${o.pasid} until unbind)`;
    case 'private':
      return `${o.dev} ↔ ${o.proc} (private)`;
    case 'unknown':
      return 'unknown';
    default:
      return assertNever(o, 'owner');
  }
}
