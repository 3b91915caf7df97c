import os from 'node:os';
/** One benchmark figure: a name, the value with its unit, and how it was measured. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** The machine's 1, 5 and 15 minute load averages, as every bench report prints them. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
