import { useApp } from '../storeContext.ts';

export function InspectorPanel() {
  const sel = useApp((s) => s.selection);
  return <div data-testid="inspector">{sel ? sel.title : 'Select a structure to inspect it'}</div>;
}
