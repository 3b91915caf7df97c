// A process's life: created (its mm: pgd, ASID), and its exit, which tears down what the other
// ops set up, the way the kernel profile does it.
import { defineOp, noWork } from './def.ts';
import { procField } from './formFields.ts';
import { freshName, procs } from './formWorld.ts';

export const processOp = defineOp('process', {
  parse: (o) => ({ op: 'process', name: o.name, pid: o.pid }),
  link: { fields: ['name', 'pid'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `process ${o.name}${o.pid !== undefined ? ` (pid ${o.pid})` : ''}`,
  form: {
    help: 'A process: its mm (pgd, ASID) is created.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('proc', procs(c)) },
      { key: 'pid', label: 'PID', kind: 'number', optional: true, def: () => '' },
    ],
  },
});

export const exitOp = defineOp('exit', {
  parse: (o) => ({ op: 'exit', proc: o.proc }),
  link: { fields: ['proc'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `exit ${o.proc}`,
  form: {
    help: 'The process exits: its mm is torn down as the profile does it.',
    fields: () => [procField()],
  },
});
