/** One benchmark figure: a name, the value with its unit, and how it was measured. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}
