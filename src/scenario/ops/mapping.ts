// iommu_map / iommu_unmap on an io-pgtable: a domain's, or a private PASID context's (dev + proc).
import type { MapTarget } from '../../kernel/index.ts';
import { permsOf } from '../../kernel/index.ts';
import { big, defineOp, fail, rangeWork, type ParseCtx } from './def.ts';
import { addrField, mapTargetFields, protField } from './formFields.ts';
import { leaves, nextIova } from './formWorld.ts';
import { addr, groupHex, range } from './text.ts';

interface Targeted {
  readonly domain?: string | undefined;
  readonly dev?: string | undefined;
  readonly proc?: string | undefined;
}

function mapTarget(o: Targeted, at: string): MapTarget {
  if (o.domain !== undefined) {
    if (o.dev !== undefined || o.proc !== undefined)
      fail(`${at}.domain`, 'give either "domain" or "dev" with "proc", not both');
    return { kind: 'domain', domain: o.domain };
  }
  if (o.dev === undefined || o.proc === undefined)
    fail(`${at}.${o.dev === undefined ? 'dev' : 'proc'}`, 'required (or give "domain")');
  return { kind: 'private', dev: o.dev!, proc: o.proc! };
}

/** The target and the IOVA range, aligned to the target's granule, inside the 48-bit IOVA space. */
function mapRange(o: Targeted & { iova: string; size: string }, at: string, c: ParseCtx) {
  const target = mapTarget(o, at);
  const cpu = c.platform.cpu.granule;
  const unit =
    1n << BigInt(target.kind === 'domain' ? (c.domainGranule.get(target.domain) ?? cpu) : cpu);
  const iova = big(o.iova);
  const size = big(o.size);
  c.aligned('iova', iova, unit);
  c.aligned('size', size, unit);
  c.nonZero('size', size);
  if (iova + size > 1n << 48n) fail(`${at}.size`, 'the range ends beyond the 48-bit IOVA space');
  return { target, iova, size, unit };
}

const targetText = (o: Targeted): string => o.domain ?? `${o.dev ?? '?'}/${o.proc ?? '?'}`;

export const mapOp = defineOp('map', {
  parse: (o, at, c) => {
    const { target, iova, size, unit } = mapRange(o, at, c);
    const pa = o.pa !== undefined ? big(o.pa) : undefined;
    if (pa !== undefined) c.aligned('pa', pa, unit);
    return { op: 'map', target, iova, size, prot: permsOf(o.prot), pa };
  },
  link: { fields: ['domain', 'dev', 'proc', 'iova', 'size', 'prot', 'pa'] },
  work: rangeWork,
  runsIn: 'kernel',
  summary: (o) =>
    `map ${targetText(o)} ${range(o.iova, o.size)} ${o.prot}${o.pa ? ` → ${addr(o.pa)}` : ''}`,
  form: {
    help: 'iommu_map: io-pgtable entries are written.',
    fields: () => [
      ...mapTargetFields,
      addrField('iova', 'IOVA', (c, v) => groupHex(nextIova(c, v))),
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x4000' },
      protField(),
      { ...addrField('pa', 'PA', () => ''), optional: true, hint: 'empty: the kernel allocates' },
    ],
  },
});

export const unmapOp = defineOp('unmap', {
  parse: (o, at, c) => {
    const { target, iova, size } = mapRange(o, at, c);
    return { op: 'unmap', target, iova, size };
  },
  link: { fields: ['domain', 'dev', 'proc', 'iova', 'size'] },
  work: rangeWork,
  runsIn: 'kernel',
  summary: (o) => `unmap ${targetText(o)} ${range(o.iova, o.size)}`,
  form: {
    help: 'iommu_unmap: entries cleared, invalidations queued.',
    fields: () => [
      ...mapTargetFields,
      addrField('iova', 'IOVA', (c, v) => groupHex(leaves(c, v)[0]?.[0] ?? 0x1000_0000n)),
      {
        key: 'size',
        label: 'Size',
        kind: 'u64',
        def: (c, v) => groupHex(leaves(c, v)[0]?.[1].size ?? 0x1000n),
      },
    ],
  },
});
