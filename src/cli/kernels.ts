// `sva kernels [--json]`: the kernel eras a scenario's "kernel" (and `run --kernel`) can name,
// oldest first — each with the release it starts at, the release the next era starts at (null for
// the newest) and what it models. Read from the eras themselves (src/kernel/eras).
import { eraInfos } from '../kernel/index.ts';
import type { CliOutput } from './decode.ts';

export function kernelsCommand(json: boolean): CliOutput {
  const eras = eraInfos();
  if (json) return { code: 0, stdout: `${JSON.stringify(eras, null, 2)}\n`, stderr: '' };
  const span = (from: string, to: string | null): string => `${from}–${to ?? ''}`;
  const width = Math.max(...eras.map((e) => e.id.length));
  const lines = eras.map(
    (e) => `${e.id.padEnd(width)}  ${span(e.from, e.to).padEnd(13)}  ${e.title}`,
  );
  return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
}
