// Inputs as text: links, scenario documents, kernel logs, /proc/PID/maps — valid ones, then
// mangled the way people and programs mangle them (a character changed, a piece cut, repeated or
// glued on, percent-encoded), and hostile ones built to break a parser (nesting thousands deep,
// megabyte strings, prototype keys, numbers past 2^64).
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import { encodeLink } from '../../src/share/index.ts';
import { doc } from '../../src/share/arbitraries.testkit.ts';

const b64url = (u: Uint8Array): string => Buffer.from(u).toString('base64url');
/** A version-1 link around any text (not necessarily JSON). */
export const linkAround = (text: string): string =>
  `#s=1.${b64url(deflateSync(strToU8(text), { level: 6 }))}`;

interface Edit {
  readonly kind: number;
  readonly at: number;
  readonly len: number;
  readonly text: string;
  readonly times: number;
}
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.nat(7),
  at: fc.nat(),
  len: fc.nat(64),
  text: fc.string({ unit: 'binary', maxLength: 8 }),
  times: fc.integer({ min: 2, max: 2000 }),
});

/** Applies edits to `s`; each edit's position wraps around the current length. */
export function applyEdits(s: string, edits: readonly Edit[]): string {
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % s.length;
    const end = Math.min(s.length, at + e.len);
    switch (e.kind) {
      case 0: // replace one character
        s = s.slice(0, at) + (e.text[0] ?? '') + s.slice(at + 1);
        break;
      case 1: // cut a piece
        s = s.slice(0, at) + s.slice(end);
        break;
      case 2: // insert
        s = s.slice(0, at) + e.text + s.slice(at);
        break;
      case 3: // truncate
        s = s.slice(0, at);
        break;
      case 4: // repeat a piece many times (big inputs)
        s = s.slice(0, end) + s.slice(at, end).repeat(e.times) + s.slice(end);
        break;
      case 5: // percent-encode a piece (a lone surrogate cannot be: left as it is)
        try {
          s = s.slice(0, at) + encodeURIComponent(s.slice(at, end)) + s.slice(end);
        } catch {
          // URIError
        }
        break;
      case 6: // glue punctuation on
        s += ').,;'.slice(0, 1 + (e.len % 4));
        break;
      default: // swap two halves
        s = s.slice(at) + s.slice(0, at);
    }
    if (s.length > 4_000_000) s = s.slice(0, 4_000_000);
  }
  return s;
}

const edits = fc.array(edit, { maxLength: 4 });
const deep = (depth: number, open: string, close: string, inner = ''): string =>
  open.repeat(depth) + inner + close.repeat(depth);

/** JSON text built to break readers: deep, long, odd keys and numbers, wrong shapes. */
export const hostileJson: fc.Arbitrary<string> = fc
  .record({
    depth: fc.constantFrom(10, 1_000, 4_100, 20_000, 100_000),
    len: fc.constantFrom(10, 10_000, 1_000_000, 3_000_000),
    where: fc.nat(9),
  })
  .map(({ depth, len, where }) => {
    const nest = deep(depth, '[', ']');
    const obj = deep(depth, '{"a":', '}', '1');
    const long = `"${'x'.repeat(len)}"`;
    const head = '"format":"sva-explorer/scenario","version":1';
    return [
      `{${head},"ops":[{"op":${nest}}]}`,
      `{${head},"ops":[{"op":"cmd","name":"SYNC","CS":${obj}}]}`,
      `{${head},"ops":[{"op":${long}}]}`,
      `{${head},"title":${long},"ops":[]}`,
      `{${head},"ops":[{"op":"exit","proc":"p",${long}:1}]}`,
      `{${head},"ops":[{"__proto__":{"op":"exit"},"constructor":1}]}`,
      `{${head},"ops":[{"op":"dma","sid":1,"addr":"0x${'f'.repeat(len % 40)}","access":"r","count":1e309}]}`,
      `{${head},"ops":${nest}}`,
      `{"o":[{"op":${nest}}]}`,
      `{${head},"ops":[${'{"op":"exit","proc":"p"},'.repeat(Math.min(len, 200_000))}{"op":"exit","proc":"p"}]}`,
    ][where]!;
  });

/** A link: a valid document's, mangled; one around hostile JSON; or random text. */
// Hostile JSON is 200 inputs in all (5 depths, 4 lengths, 10 shapes) and the megabyte samples
// one per fixture: rare weights still run each of them many times in a 300 s run, and leave the
// time to the generated inputs, which are new on every case.
export const linkArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 24, arbitrary: fc.tuple(doc, edits).map(([d, e]) => applyEdits(encodeLink(d), e)) },
  { weight: 8, arbitrary: doc.map(encodeLink) },
  { weight: 1, arbitrary: hostileJson.map(linkAround) },
  {
    weight: 2,
    arbitrary: doc.map((d) => `#s%3D${encodeLink(d).slice(3)}`),
  },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((s) => `#s=1.${s}`) },
);

/** A scenario document as text: valid, mangled, or hostile. */
export const documentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: doc.map((d) => JSON.stringify(d)) },
  {
    weight: 8,
    arbitrary: fc.tuple(doc, edits).map(([d, e]) => applyEdits(JSON.stringify(d, null, 1), e)),
  },
  { weight: 1, arbitrary: hostileJson },
);

function fixtures(ext: string): string[] {
  const dir = new URL('../../src/logs/fixtures/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'));
}

/** Text made of real samples (kernel logs or maps files), mixed, mangled and sometimes huge. */
function samplesArb(samples: readonly string[]): fc.Arbitrary<string> {
  const lines = samples.flatMap((s) => s.split('\n'));
  return fc.oneof(
    {
      weight: 90,
      arbitrary: fc.tuple(fc.constantFrom(...samples), edits).map(([s, e]) => applyEdits(s, e)),
    },
    {
      weight: 90,
      arbitrary: fc
        .array(fc.constantFrom(...lines), { maxLength: 200 })
        .chain((ls) => edits.map((e) => applyEdits(ls.join('\n'), e))),
    },
    {
      // About a megabyte of real lines (the decoder must stay linear).
      weight: 1,
      arbitrary: fc
        .constantFrom(...samples)
        .map((s) => s.repeat(Math.ceil(1_000_000 / Math.max(1, s.length)))),
    },
    { weight: 30, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }) },
  );
}

export const logArb = samplesArb(fixtures('.txt'));
export const mapsArb = samplesArb(fixtures('.maps'));
