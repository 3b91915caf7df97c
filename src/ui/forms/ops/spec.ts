// What an op form is made of: a field spec per OpDoc field (kind, default, choices, when it is
// shown) and one op spec per op. Defaults and choices are computed from the world at the end of
// the scenario, where the new op goes (FormCtx).
import type { KernelState } from '../../../kernel/index.ts';
import type { OpName } from '../../../scenario/index.ts';

export type Value = string | boolean;
export type Values = Readonly<Record<string, Value>>;

/** What defaults and choices are computed from: the kernel after the last op. */
export interface FormCtx {
  readonly kernel: KernelState | undefined;
}

export interface Choice {
  readonly value: string;
  readonly label: string;
}

export interface FieldSpec {
  /** The OpDoc field (validation errors name it: `ops[7].size`). */
  readonly key: string;
  readonly label: string;
  /**
   * text: a string as typed; name: a reference to a device/domain/process (free text with
   * suggestions); number: a JSON number ("0x100" accepted); u64: an address/size string;
   * select: fixed choices; bool: a checkbox.
   */
  readonly kind: 'text' | 'name' | 'number' | 'u64' | 'select' | 'bool';
  readonly optional?: boolean;
  /** Choices of a select, or suggestions of a name field. */
  readonly choices?: (c: FormCtx, v: Values) => readonly Choice[];
  readonly def?: (c: FormCtx, v: Values) => Value;
  /** Shown only when this holds (e.g. map's domain vs dev+proc). */
  readonly when?: (v: Values) => boolean;
  /** Not part of the document (a switch between field sets). */
  readonly virtual?: boolean;
  readonly hint?: string;
  /** Takes the form's full width (64-bit addresses). */
  readonly wide?: boolean;
}

export interface OpSpec {
  readonly op: OpName;
  readonly group: 'kernel' | 'hardware';
  readonly help: string;
  readonly fields: (v: Values) => readonly FieldSpec[];
}
