import { useApp } from '../storeContext.ts';

export function TimelinePanel() {
  const records = useApp((s) => s.timeline.records);
  return (
    <ol data-testid="timeline">
      {records.map((r) => (
        <li key={r.index}>
          {r.op.op} {r.status}
        </li>
      ))}
    </ol>
  );
}
