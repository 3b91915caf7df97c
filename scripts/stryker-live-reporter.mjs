// A Stryker reporter that appends each mutant's result as it is tested (one JSON line each) to
// reports/mutation/<name>.live.jsonl: survivors can be read while a long run goes on, and a run
// stopped early still says what it measured. The score itself comes from the final JSON report.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class LiveReporter {
  file = `reports/mutation/${process.env.MUTATE_NAME ?? process.env.MUTATE ?? 'engine'}.live.jsonl`;
  onDryRunCompleted() {
    mkdirSync('reports/mutation', { recursive: true });
    writeFileSync(this.file, '');
  }
  onMutantTested(r) {
    const { fileName, status, mutatorName, replacement, location } = r;
    const line = { file: fileName, status, mutatorName, replacement, line: location.start.line };
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'live', LiveReporter)];
