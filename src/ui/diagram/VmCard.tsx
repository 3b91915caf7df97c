// A VM region: a frame around the guest's structures with the VM's header — its name and VMID,
// where its RAM is (IPA → host PA), its vSMMUs with the vDEVICEs (vSID → device) and how many
// records its vEVENTQ has received. The guest's CD tables and page tables are drawn inside it by
// their own cards, at the host PAs the SMMU reads them from.
import { memo } from 'react';
import { G, hexu, plural, sizeName, type VmBox } from '../../diagram/index.ts';
import { changeClass, testId, type BoxProps } from './types.ts';

export const VmCard = memo(function VmCard({ box, changes }: BoxProps & { readonly box: VmBox }) {
  const vm = box.vm;
  const ram = vm.ram
    .map((r) => `IPA ${hexu(r.ipa)}–${hexu(r.ipa + r.size - 1n)} → PA ${hexu(r.pa)}`)
    .join(', ');
  const line = (i: number) => G.vmMargin + G.vmLine * i + 2;
  return (
    <g
      data-testid={testId(vm.id)}
      className={`dg-box dg-vm${changeClass(changes.get(vm.id))}`}
      transform={`translate(${box.x},${box.y})`}
      role="group"
      aria-label={`VM ${vm.name}, VMID ${vm.vmid}`}
    >
      <rect className="dg-vm-region" width={box.w} height={box.h} rx={8} />
      <text className="dg-title" x={G.pad * 2} y={line(0)}>
        VM {vm.name}
        <tspan className="dg-mono dg-small dg-muted">
          {' '}
          · VMID {vm.vmid} · its stage 2 on the right
        </tspan>
      </text>
      <text className="dg-mono dg-small" x={G.pad * 2} y={line(1)}>
        <tspan className="dg-muted">guest RAM </tspan>
        {ram} ({vm.ram.map((r) => sizeName(r.size)).join(' + ')})
      </text>
      {vm.vsmmus.length === 0 && (
        <text className="dg-small dg-muted" x={G.pad * 2} y={line(2)}>
          no vSMMU
        </text>
      )}
      {vm.vsmmus.map((v, i) => (
        <text
          key={v.name}
          className="dg-mono dg-small"
          x={G.pad * 2}
          y={line(2 + i)}
          data-testid={`vsmmu-${v.name}`}
        >
          <tspan className="dg-muted">vSMMU </tspan>
          {v.name}
          <tspan className="dg-muted"> · </tspan>
          {v.vdevs.length
            ? v.vdevs.map((d) => `vSID ${hexu(d.vsid)} → ${d.dev} (SID ${hexu(d.sid)})`).join(', ')
            : 'no vDEVICE'}
          <tspan className="dg-muted"> · vEVENTQ </tspan>
          {plural(v.vevents, 'record')}
        </text>
      ))}
    </g>
  );
});
