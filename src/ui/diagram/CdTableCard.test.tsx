// @vitest-environment jsdom
// A CD row names its owner: under v6.11 (a version-1 "mainline") the CD of a process that exited
// while bound stays valid (EPD0=1) until the driver's late unbind, and its row names that process
// as exited. The CD lives in gpu's own table (a master's table, v6.7+).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { buildModel, EMPTY_VIEW, layoutDiagram, type CdTableBox } from '../../diagram/index.ts';
import { parseScenario, Timeline, type OpDoc } from '../../scenario/index.ts';
import { CdTableCard } from './CdTableCard.tsx';
import type { DiagramActions } from './types.ts';

afterEach(cleanup);

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20 },
  { op: 'domain', name: 'gpu-dom', type: 'dma' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'process', name: 'app' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'exit', proc: 'app' },
];

const none = (): void => undefined;
const actions: DiagramActions = {
  select: none,
  toggle: none,
  showMore: none,
  openMenu: none,
  fold: none,
  focus: none,
  gloss: none,
};

function card(ops: number) {
  const p = parseScenario({
    format: 'sva-explorer/scenario',
    version: 1,
    kernel: 'mainline',
    ops: OPS,
  });
  if (!p.ok) throw new Error(p.error);
  const layout = layoutDiagram(buildModel(new Timeline(p.scenario).stateAt(ops)), EMPTY_VIEW);
  const box = layout.boxes.find((b): b is CdTableBox => b.kind === 'cdtable')!;
  render(
    <svg>
      <CdTableCard box={box} changes={new Map()} selected={null} actions={actions} />
    </svg>,
  );
}

it('names the bound process, then the same process as exited — never "unknown owner"', () => {
  // The IDA's lowest free PASID for app's mm: 1.
  card(OPS.length - 1);
  expect(
    screen.getByRole('button', { name: /^CD 1 of gpu \(master\) .*: ASID \d+, app · SVA$/ }),
  ).toBeTruthy();
  cleanup();
  card(OPS.length);
  const row = screen.getByRole('button', {
    name: /^CD 1 of gpu \(master\) .*: ASID \d+, app · exited$/,
  });
  expect(row.textContent).toContain('TTB0 disabled (EPD0)');
  expect(document.body.textContent).not.toContain('unknown');
});
