// The Queues tab: the three rings at the cursor and the queue activity of recent ops.
import { useSelect } from '../inspector/useWorlds.ts';
import { useApp, useWorld } from '../storeContext.ts';
import { QueueActivity } from './QueueActivity.tsx';
import { QueueRing } from './QueueRing.tsx';

export function QueuesTab() {
  const world = useWorld();
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor.op);
  const select = useSelect();
  const selection = useApp((s) => s.selection);
  const record = timeline.records[cursor];
  const selectedPa = selection?.kind === 'memory' ? selection.pa : undefined;
  const cmd = new Set(record?.commands.map((c) => c.index) ?? []);
  const evt = new Set(record?.events.flatMap((e) => (e.slot !== undefined ? [e.slot] : [])) ?? []);
  const pri = new Set(
    record?.pageRequests.flatMap((p) => (p.slot !== undefined ? [p.slot] : [])) ?? [],
  );
  return (
    <div className="queues">
      <div className="queues-rings">
        <QueueRing
          kind="cmdq"
          world={world}
          touched={cmd}
          selectedPa={selectedPa}
          onSelect={select}
        />
        <QueueRing
          kind="evtq"
          world={world}
          touched={evt}
          selectedPa={selectedPa}
          onSelect={select}
        />
        <QueueRing
          kind="priq"
          world={world}
          touched={pri}
          selectedPa={selectedPa}
          onSelect={select}
        />
      </div>
      <QueueActivity records={timeline.records} cursor={cursor} onSelect={select} />
    </div>
  );
}
