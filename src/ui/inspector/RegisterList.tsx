// The SMMU registers, each selectable for inspection (their value at the cursor is the tooltip).
// The list folds away while a structure in memory is inspected, to leave room for its bits.
import { useState } from 'react';
import { REG_NAMES, type RegName } from '../../engine/index.ts';
import { useApp, useWorld } from '../storeContext.ts';
import { REG_WIDTH } from '../../diagram/index.ts';
import { useSelect } from './useWorlds.ts';

export function RegisterList() {
  const selected = useApp((s) => (s.selection?.kind === 'reg' ? s.selection.reg : null));
  const memory = useApp((s) => s.selection?.kind === 'memory');
  const select = useSelect();
  const world = useWorld();
  // Open unless memory is inspected; the user's own toggle wins until the selection kind changes.
  const [toggled, setToggled] = useState<{ memory: boolean; open: boolean } | null>(null);
  const open = toggled && toggled.memory === memory ? toggled.open : !memory;
  const pick = (reg: RegName) => select({ kind: 'reg', reg, title: `SMMU_${reg}` });
  return (
    <details
      className="insp-regs"
      open={open}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        if (now !== open) setToggled({ memory, open: now });
      }}
    >
      <summary>Registers</summary>
      <ul aria-label="SMMU registers">
        {REG_NAMES.map((reg) => {
          const v = world.smmu.regs[reg];
          const digits = REG_WIDTH[reg] / 4;
          return (
            <li key={reg}>
              <button
                type="button"
                data-testid={`reg-${reg}`}
                aria-pressed={selected === reg}
                title={`SMMU_${reg} = 0x${v.toString(16).padStart(digits, '0')}`}
                onClick={() => pick(reg)}
              >
                {reg}
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
