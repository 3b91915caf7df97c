// The op registry's own promises, over every definition: a link spells every field of an op (so
// nothing is lost in a link), the form edits only fields the document has, every op is in the
// form once, and kernel-or-hardware follows the parsed op.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseScenario } from '../parse.ts';
import {
  HARDWARE_OPS,
  isKernelOp,
  KERNEL_OPS,
  linkSpec,
  OP_NAMES,
  OP_SPECS,
  OPS,
  specOf,
} from './index.ts';
import { OP_SCHEMAS } from './schemas.ts';

const fieldsOf = (name: keyof typeof OPS): string[] =>
  Object.keys((OP_SCHEMAS[name] as unknown as z.ZodObject).shape).filter((k) => k !== 'op');

/** A document that takes fields beyond its schema's own (z.looseObject: cmd's opcode fields). */
const isOpen = (name: keyof typeof OPS): boolean => {
  const rest = (OP_SCHEMAS[name] as unknown as z.ZodObject).def.catchall as z.ZodType | undefined;
  return rest?.def.type === 'unknown';
};

describe('op definitions', () => {
  it('are filed under their own names', () => {
    for (const [name, def] of Object.entries(OPS)) expect(def.op, name).toBe(name);
  });

  it('spell every document field in a link, each once, defaults only for those fields', () => {
    for (const name of OP_NAMES) {
      const spec = linkSpec(name);
      if (spec === 'object') continue;
      expect([...spec.fields].sort(), name).toEqual(fieldsOf(name).sort());
      for (const f of Object.keys(spec.defaults ?? {})) expect(spec.fields, name).toContain(f);
    }
    // Only an op whose fields depend on its opcode (an open schema: cmd) travels as an object.
    expect(OP_NAMES.filter((n) => linkSpec(n) === 'object')).toEqual(OP_NAMES.filter(isOpen));
    expect(OP_NAMES.filter(isOpen)).toContain('cmd');
  });

  it('have forms that edit only fields their documents have', () => {
    for (const spec of OP_SPECS) {
      if (isOpen(spec.op)) continue; // command fields come from the command table
      const keys = spec
        .fields({})
        .filter((f) => !f.virtual)
        .map((f) => f.key);
      for (const k of keys) expect(fieldsOf(spec.op), `${spec.op}.${k}`).toContain(k);
    }
  });

  it('are each in the op picker once, kernel ops before hardware ops', () => {
    expect(OP_SPECS.map((s) => s.op).sort()).toEqual([...OP_NAMES].sort());
    const groups = OP_SPECS.map((s) => s.group);
    expect(groups.indexOf('hardware')).toBe(groups.lastIndexOf('kernel') + 1);
    for (const n of OP_NAMES) expect(specOf(n).op).toBe(n);
  });

  it('split the ops into kernel, hardware, and dma (either, by dev or by sid)', () => {
    expect([...KERNEL_OPS, ...HARDWARE_OPS, 'dma'].sort()).toEqual([...OP_NAMES].sort());
    const p = parseScenario({
      format: 'sva-explorer/scenario',
      version: 1,
      ops: [
        { op: 'dma', dev: 'gpu', addr: '0x1000', access: 'r' },
        { op: 'dma', sid: 3, addr: '0x1000', access: 'r' },
        { op: 'bind', dev: 'gpu', proc: 'p' },
        { op: 'write64', pa: '0x1000', value: '0x1' },
      ],
    });
    if (!p.ok) throw new Error(p.error);
    expect(p.scenario.ops.map(isKernelOp)).toEqual([true, false, true, false]);
  });
});
