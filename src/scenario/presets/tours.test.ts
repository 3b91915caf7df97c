import { describe, expect, it } from 'vitest';
import { parseScenario } from '../parse.ts';
import { seedStory } from './seedStory.ts';
import { firstVisitTour, SEED_OPS } from './tours.ts';

describe('shipped tours', () => {
  it('stand on the seed story ops they name', () => {
    const ops = seedStory.ops;
    expect(ops[SEED_OPS.dmaDisplay]).toMatchObject({ op: 'dma', dev: 'display' });
    expect(ops[SEED_OPS.dmaGpu]).toMatchObject({ op: 'dma', dev: 'gpu', pasid: 2 });
    expect(ops[SEED_OPS.mapMedia]).toMatchObject({ op: 'map', domain: 'media' });
    expect(ops[SEED_OPS.mapGame]).toMatchObject({ op: 'map', dev: 'gpu', proc: 'game' });
    expect(ops[SEED_OPS.bindMl]).toMatchObject({ op: 'bind', dev: 'accel', proc: 'ml' });
    expect(ops[SEED_OPS.dmaMl]).toMatchObject({ op: 'dma', dev: 'accel', pasid: 3 });
    expect(SEED_OPS.last).toBe(ops.length - 1);
  });

  it('are valid in the seed story document', () => {
    const p = parseScenario({ ...seedStory, tours: [firstVisitTour] });
    expect(p.ok ? p.scenario.tours[0]!.stops.length : p.error).toBe(firstVisitTour.stops.length);
  });
});
