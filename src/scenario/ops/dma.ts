// A device access. Named by device, the kernel runs it (the device's StreamID; its faults are
// serviced: PRI, stall); named by StreamID alone it goes to the bare hardware.
import type { DmaAccess } from '../../kernel/index.ts';
import { big, defineOp, fail } from './def.ts';
import { ACCESS, addrField, devField } from './formFields.ts';
import { dmaTarget } from './formWorld.ts';
import { addr, groupHex } from './text.ts';

/** A device access by StreamID alone: no kernel involved (a hardware op, hardware.ts). */
export type DmaBySid = DmaAccess & { readonly dev: undefined; readonly sid: number };

export const dmaOp = defineOp('dma', {
  parse: (o, at, c) => {
    const who =
      o.dev !== undefined && o.sid === undefined
        ? ({ dev: o.dev, sid: undefined } as const)
        : o.sid !== undefined && o.dev === undefined
          ? ({ dev: undefined, sid: o.sid } as const)
          : fail(`${at}.dev`, 'give exactly one of "dev" (a device name) or "sid" (a StreamID)');
    if (o.pasid !== undefined && o.ssid !== undefined && o.pasid !== o.ssid)
      fail(`${at}.ssid`, '"ssid" is an alias of "pasid"; they disagree');
    return {
      op: 'dma',
      ...who,
      pasid: o.pasid ?? o.ssid,
      addr: big(o.addr),
      access: o.access,
      priv: o.priv ?? false,
      count: o.count ?? 1,
      stride: o.stride !== undefined ? big(o.stride) : 1n << BigInt(c.platform.cpu.granule),
    };
  },
  link: {
    fields: ['dev', 'sid', 'pasid', 'ssid', 'addr', 'access', 'priv', 'count', 'stride'],
    defaults: { priv: false, count: 1 },
  },
  work: (o) => ({ accesses: o.count ?? 1, ...(o.dev === undefined ? { bare: true } : {}) }),
  runsIn: (op) => (op.dev !== undefined ? 'kernel' : 'hardware'),
  summary: (o) => {
    const who = o.dev ?? `SID ${o.sid ?? '?'}`;
    const pasid = o.pasid ?? o.ssid;
    return [
      'dma',
      who,
      pasid !== undefined ? `PASID ${pasid}` : '',
      `${o.access}${o.priv ? ' (priv)' : ''}`,
      addr(o.addr),
      o.count && o.count > 1 ? `×${o.count}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  },
  form: {
    help: 'A device access: translated, or a fault (PRI / stall retries included).',
    fields: () => [
      devField(),
      {
        key: 'pasid',
        label: 'PASID',
        kind: 'number',
        optional: true,
        def: (c, v) => {
          const p = dmaTarget(c, v['dev'] ?? '').pasid;
          return p === undefined ? '' : String(p);
        },
        hint: 'empty: no PASID',
      },
      addrField('addr', 'Address', (c, v) => groupHex(dmaTarget(c, v['dev'] ?? '').addr)),
      { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
      { key: 'priv', label: 'Privileged', kind: 'bool', def: () => false },
      { key: 'count', label: 'Count', kind: 'number', optional: true, def: () => '', hint: '1' },
      {
        key: 'stride',
        label: 'Stride',
        kind: 'u64',
        optional: true,
        def: () => '',
        hint: 'a page',
      },
    ],
  },
});
