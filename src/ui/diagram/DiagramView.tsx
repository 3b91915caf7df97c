import { buildModel } from '../../diagram/model.ts';
import { useWorld } from '../storeContext.ts';

export function DiagramView() {
  const model = buildModel(useWorld());
  return <div data-testid="diagram">{model.streams.length} streams</div>;
}
