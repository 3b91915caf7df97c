// A VM region: a frame around the guest's structures with the VM's header — its name and VMID,
// where its RAM is (IPA → host PA), its vSMMUs with the vDEVICEs (vSID → device) and how many
// records its vEVENTQ has received. The guest's CD tables and page tables are drawn inside it by
// their own cards, at the host PAs the SMMU reads them from.
import { memo } from 'react';
import { G, hexu, plural, sizeName, type VmBox } from '../../diagram/index.ts';
import { changeClass, testId, type BoxProps } from './types.ts';

export const VmCard = memo(function VmCard({ box, changes }: BoxProps & { readonly box: VmBox }) {
  const vm = box.vm;
  if (box.card) return <VmOwnerCard box={box} changes={changes} />;
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

/**
 * The lens draws a VM as the owner of its guest's tables and of its stage 2, in the owners'
 * narrow column: name and VMID, where its RAM is, then each vSMMU and its vDEVICEs on lines of
 * their own (the whole-diagram header's long lines do not fit there).
 */
function VmOwnerCard({ box, changes }: Pick<BoxProps, 'changes'> & { readonly box: VmBox }) {
  const vm = box.vm;
  const x = G.pad;
  const at = (line: number) => 19 + 16 * line;
  let line = 1;
  const ram = vm.ram.map((r) => {
    const y = at(line);
    line += 2;
    return (
      <text key={String(r.ipa)} className="dg-mono dg-small" x={x} y={y}>
        <tspan className="dg-muted">RAM </tspan>
        {sizeName(r.size)}
        <tspan className="dg-muted"> at IPA </tspan>
        {hexu(r.ipa)}
        <tspan x={x} dy={16}>
          → PA {hexu(r.pa)}
        </tspan>
      </text>
    );
  });
  const vsmmus = vm.vsmmus.map((v) => {
    const head = at(line++);
    const devs = v.vdevs.map((d) => {
      const y = at(line);
      line += 2;
      return (
        <text key={d.vsid} className="dg-mono dg-small" x={x} y={y}>
          vSID {hexu(d.vsid)} → {d.dev}
          <tspan x={x + 12} dy={16}>{` (SID ${hexu(d.sid)})`}</tspan>
        </text>
      );
    });
    if (devs.length === 0) line++;
    return (
      <g key={v.name} data-testid={`vsmmu-${v.name}`}>
        <text className="dg-mono dg-small" x={x} y={head}>
          <tspan className="dg-muted">vSMMU </tspan>
          {v.name}
          <tspan className="dg-muted"> · vEVENTQ </tspan>
          {v.vevents}
        </text>
        {devs.length ? (
          devs
        ) : (
          <text className="dg-small dg-muted" x={x} y={at(line - 1)}>
            no vDEVICE
          </text>
        )}
      </g>
    );
  });
  return (
    <g
      data-testid={testId(vm.id)}
      className={`dg-box dg-vm${changeClass(changes.get(vm.id))}`}
      transform={`translate(${box.x},${box.y})`}
      role="group"
      aria-label={`VM ${vm.name}, VMID ${vm.vmid}`}
    >
      <rect className="dg-vm-region" width={box.w} height={box.h} rx={6} />
      <text className="dg-title" x={x} y={at(0)}>
        VM {vm.name}
        <tspan className="dg-mono dg-muted"> · VMID {vm.vmid}</tspan>
      </text>
      {box.card !== 'summary' && ram}
      {box.card !== 'summary' && vsmmus}
    </g>
  );
}
