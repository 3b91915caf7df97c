// Links and fragments built to break the page: nesting deep enough to overflow a recursive
// reader, a few kB that inflate to megabytes of one string, fragments mangled by chat clients.
// Each gives one short sentence (or the scenario it meant), never an exception or a flood.
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MESSAGE_MAX, seedStory } from '../scenario/index.ts';
import { decodeLink, encodeLink, readFragment } from './link.ts';

const b64 = (u: Uint8Array): string =>
  btoa(String.fromCharCode(...u))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
/** A version-1 link whose payload is `json`, whatever it holds. */
const linkOf = (json: string): string => `#s=1.${b64(deflateSync(strToU8(json), { level: 9 }))}`;
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('deeply nested JSON in a link (was: Maximum call stack size exceeded)', () => {
  // 4,100 levels overflowed the stack when the error quoted the value; 100,000 is a 300-char link.
  for (const depth of [4_100, 100_000])
    it(`${depth.toLocaleString('en')} levels anywhere in the payload: one short sentence`, () => {
      const at = [
        `{"o":[{"op":${nested(depth)}}]}`,
        `{"o":[["process",${nested(depth)}]]}`,
        `{"o":[],"p":${nested(depth)}}`,
        `{"o":[],"t":${nested(depth)}}`,
        `{"o":[{"op":"cmd","name":"SYNC","CS":${nested(depth)}}]}`,
        `{"o":${nested(depth)}}`,
      ];
      for (const json of at) {
        const r = decodeLink(linkOf(json));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error).toMatch(/^the link('s scenario)? is/);
          expect(r.error.length).toBeLessThanOrEqual(MESSAGE_MAX + 60);
        }
      }
      expect(decodeLink(linkOf(`{"o":[{"op":${nested(depth)}}]}`))).toEqual({
        ok: false,
        error:
          "the link's scenario is invalid: ops[0].op: unknown op […] (a list) (expected one of device, domain, attach, map, unmap, process, mmap, munmap, mprotect, touch, pin, unpin, reclaim, bind, unbind, exit, dma, vm, vsmmu, vdevice, gwrite64, nest, ginv, write64, reg, cmd)",
      });
    });
});

describe('errors quote the input briefly (was: a 3.9 kB link gave a 3-million-character banner)', () => {
  it('an op name of 3,000,000 characters is quoted by its first 40', () => {
    const link = linkOf(`{"o":[{"op":"${'x'.repeat(3_000_000)}"}]}`);
    expect(link.length).toBeLessThan(4_000);
    const r = decodeLink(link);
    expect(r).toEqual({
      ok: false,
      error: `the link's scenario is invalid: ops[0].op: unknown op "${'x'.repeat(40)}"… (3,000,000 characters) (expected one of device, domain, attach, map, unmap, process, mmap, munmap, mprotect, touch, pin, unpin, reclaim, bind, unbind, exit, dma, vm, vsmmu, vdevice, gwrite64, nest, ginv, write64, reg, cmd)`,
    });
  });
  it('so are unknown field names, register and command names', () => {
    const long = 'y'.repeat(1_000_000);
    for (const json of [
      `{"o":[{"op":"exit","proc":"p","${long}":1}]}`,
      `{"o":[{"op":"reg","name":"${long}","value":"0"}]}`,
      `{"o":[{"op":"cmd","name":"${long}"}]}`,
      `{"o":[{"op":"cmd","name":"SYNC","${long}":1}]}`,
    ]) {
      const r = decodeLink(linkOf(json));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeLessThanOrEqual(MESSAGE_MAX + 60);
    }
  });
});

describe('fragments a chat client or mail program mangled', () => {
  const link = encodeLink(seedStory);
  it('repairs #s%3D…, a percent-encoded fragment, and punctuation glued to the end', () => {
    for (const f of [
      `#s%3D${link.slice(3)}`,
      `#${encodeURIComponent(link.slice(1))}`,
      `#${encodeURIComponent(encodeURIComponent(link.slice(1)))}`,
      `${link})`,
      `${link}.`,
      `${link.slice(0, 20)}\n${link.slice(20)}`,
    ])
      expect(readFragment(f)).toEqual({ kind: 'link', link });
    const d = decodeLink(`https://example.org/sva/#s%3D${link.slice(3)}`);
    expect(d.ok && d.doc.title).toBe(seedStory.title);
  });
  it('tells no fragment from one that holds no scenario', () => {
    expect(readFragment('')).toEqual({ kind: 'none' });
    expect(readFragment('#')).toEqual({ kind: 'none' });
    expect(readFragment('#about')).toEqual({ kind: 'other', text: '#about' });
    expect(readFragment('#%E0%A4%A')).toEqual({ kind: 'other', text: '#%E0%A4%A' });
    expect(decodeLink('#about')).toEqual({
      ok: false,
      error: 'this link holds no scenario (expected #s=…, found "#about")',
    });
  });
});
