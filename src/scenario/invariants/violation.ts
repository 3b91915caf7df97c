// What an invariant check reports.
export type InvariantName =
  'ste' | 'cd' | 'cfg' | 'dma' | 'tlb' | 'atc' | 'unchanged' | 'leak' | 'state';

export interface Violation {
  readonly invariant: InvariantName;
  readonly message: string;
}

export const v = (invariant: InvariantName, message: string): Violation => ({ invariant, message });
