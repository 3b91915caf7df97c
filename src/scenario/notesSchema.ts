// The schema (zod) of notes and tours (notes.ts says what they are and why the limits): part of
// the document's schema (schema.ts), loaded with it only when a document from outside is checked.
import { z } from './zod.ts';
import { REG_NAMES, type RegName } from '../engine/index.ts';
import { int, name, u64 } from './ops/fields.ts';
import {
  MAX_NOTES,
  MAX_STOPS,
  MAX_TEXT,
  MAX_TOUR_TITLE,
  MAX_TOURS,
  TARGET_STRUCTS,
} from './notes.ts';

const TARGET_SHAPES =
  '{device[, pasid]}, {process}, {domain}, {op}, {struct, pa[, level, stage]} or {reg}';

const target = z.union(
  [
    z.strictObject({ device: name, pasid: int(0, 0xf_ffff).optional() }),
    z.strictObject({ process: name }),
    z.strictObject({ domain: name }),
    z.strictObject({ op: int(0, 1_000_000) }),
    z.strictObject({
      struct: z.enum(TARGET_STRUCTS),
      pa: u64,
      level: int(0, 3).optional(),
      stage: z.union([z.literal(1), z.literal(2)]).optional(),
    }),
    z.strictObject({ reg: z.enum(REG_NAMES as [RegName, ...RegName[]]) }),
  ],
  { error: `must be one of ${TARGET_SHAPES}` },
);

const text = z
  .string({ error: 'must be text' })
  .min(1, { error: 'must not be empty' })
  .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });
const moment = z.strictObject({ op: int(0, 1_000_000), step: int(0, 1_000_000) });

export const noteSchema = z.strictObject({ at: moment, on: target.optional(), text });
export const tourSchema = z.strictObject({
  title: z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(MAX_TOUR_TITLE, { error: `must be at most ${MAX_TOUR_TITLE} characters` }),
  stops: z
    .array(z.strictObject({ at: moment, focus: target.optional(), text }), {
      error: 'must be a list of stops',
    })
    .min(1, { error: 'a tour needs at least one stop' })
    .max(MAX_STOPS, { error: `at most ${MAX_STOPS} stops` }),
});
export const notesSchema = z
  .array(noteSchema, { error: 'must be a list of notes' })
  .max(MAX_NOTES, { error: `at most ${MAX_NOTES} notes` });
export const toursSchema = z
  .array(tourSchema, { error: 'must be a list of tours' })
  .max(MAX_TOURS, { error: `at most ${MAX_TOURS} tours` });
