// Share links: `#s=<version>.<payload>` where payload = base64url(deflate-raw(JSON of the compact
// form)). Decoding never throws and never runs anything: every failure is one sentence, and the
// result still has to pass parseScenario. Decompression is bounded (MAX_JSON bytes), links are
// bounded (MAX_LINK characters) and so is the work a scenario from a link may ask for (work.ts).
// The page never writes a link it would refuse itself: shareLink applies the same limits.
import { parseScenario, quote, type Scenario, type ScenarioDoc } from '../scenario/index.ts';
import { codec } from './codec.ts';
import { compact, expand, type CompactDoc } from './compact.ts';
import { migrate, LINK_VERSION } from './migrate.ts';
import { linkWork, tooManyNotes, tooManyOps } from './work.ts';

export const LINK_PREFIX = '#s=';
/** Longest fragment we read: ~200 kB. */
export const MAX_LINK = 200_000;
/** Largest decompressed payload: 4 MB. */
export const MAX_JSON = 4 * 1024 * 1024;
/** Above this a link is not sensible; offer JSON export instead. */
export const SENSIBLE_LINK = 8_000;

export type Decoded =
  { ok: true; doc: ScenarioDoc; scenario: Scenario } | { ok: false; error: string };

const b64url = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

function fromB64url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return undefined;
  try {
    const bin = atob(
      s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4),
    );
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** The fragment (with leading `#`) for a scenario. */
export function encodeLink(doc: ScenarioDoc): string {
  const json = JSON.stringify(compact(doc));
  const { deflateSync, strToU8 } = codec();
  return `${LINK_PREFIX}${LINK_VERSION}.${b64url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** The link for a document, or why the page would refuse that link when it is opened. */
export function shareLink(
  doc: ScenarioDoc,
): { ok: true; link: string } | { ok: false; error: string } {
  const work = linkWork(doc, 'the scenario');
  if (work) return { ok: false, error: work };
  const link = encodeLink(doc);
  const payload = link.length - LINK_PREFIX.length;
  if (payload > MAX_LINK)
    return {
      ok: false,
      error: `the link would be ${payload.toLocaleString('en')} characters; links may have at most ${MAX_LINK.toLocaleString('en')}`,
    };
  return { ok: true, link };
}

/**
 * Reads a full URL, a fragment (`#s=…`) or a bare payload (`1.…`). Total: whatever the input, the
 * answer is a document or one sentence saying what is wrong — a throw here would blank the page.
 */
export function decodeLink(input: string): Decoded {
  codec(); // loaded first: a page bug, not a bad link, so not caught below
  try {
    return decode(input);
  } catch {
    // Every known failure has its own sentence above; this is the net for the unknown ones.
    return { ok: false, error: 'the link is damaged: its data is not a scenario' };
  }
}

/** What a URL fragment holds: nothing, a share link (as repaired, see readFragment), or other text. */
export type Fragment =
  | { readonly kind: 'none' }
  | { readonly kind: 'link'; readonly link: string }
  | { readonly kind: 'other'; readonly text: string };

/**
 * Reads a fragment (`#…`) the way a person meant it. Chat clients and mail programs mangle links:
 * `#s=` percent-encoded as `#s%3D`, the whole fragment encoded, a closing parenthesis or full stop
 * glued to the end. A fragment that is a link once decoded and trimmed is that link; anything
 * else is `other`, so the page can say the address holds no scenario rather than silently
 * showing another one.
 */
export function readFragment(hash: string): Fragment {
  const h = hash.trim();
  if (h === '' || h === '#') return { kind: 'none' };
  let text = h.startsWith('#') ? h : `#${h}`;
  for (let i = 0; i < 3 && text.includes('%') && !text.startsWith(LINK_PREFIX); i++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  text = text.replace(/^#+/, '#');
  if (!text.startsWith(LINK_PREFIX)) return { kind: 'other', text: h };
  // Drop only the punctuation a sentence glues on (a link never ends in it); anything else that
  // is not base64url stays, so the decoder names it instead of opening a cut-down link.
  const link = text.replace(/\s+/g, '').replace(/[).,;:!?'"\]>]+$/, '');
  return { kind: 'link', link };
}

function decode(input: string): Decoded {
  if (typeof input !== 'string') return { ok: false, error: 'the link is not text' };
  const hashAt = input.indexOf('#');
  let frag = hashAt >= 0 ? input.slice(hashAt) : input.trim();
  if (frag.startsWith('#')) {
    const f = readFragment(frag);
    if (f.kind !== 'link')
      return {
        ok: false,
        error: `this link holds no scenario (expected #s=…, found ${quote(frag)})`,
      };
    frag = f.link.slice(LINK_PREFIX.length);
  }
  if (frag.length > MAX_LINK)
    return {
      ok: false,
      error: `the link is too long (${frag.length.toLocaleString('en')} characters; at most ${MAX_LINK.toLocaleString('en')})`,
    };
  const dot = frag.indexOf('.');
  const head = frag.slice(0, Math.max(dot, 0));
  if (!/^[1-9][0-9]{0,8}$/.test(head))
    return { ok: false, error: 'the link is malformed: it does not start with a format version' };
  const version = Number(head);
  if (version > LINK_VERSION)
    return {
      ok: false,
      error: `the link is version ${version}; this page reads up to ${LINK_VERSION}`,
    };
  const bytes = fromB64url(frag.slice(dot + 1));
  if (!bytes) return { ok: false, error: 'the link is damaged: its payload is not base64url' };
  let text: string;
  const { inflateSync, strFromU8 } = codec();
  try {
    const out = inflateSync(bytes, { out: new Uint8Array(MAX_JSON + 1) });
    if (out.length > MAX_JSON)
      return { ok: false, error: 'the link expands to more than 4 MB: not loaded' };
    text = strFromU8(out);
  } catch {
    return { ok: false, error: 'the link is damaged or truncated: its data does not decompress' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the link is damaged: its data is not JSON' };
  }
  const m = migrate(version, value);
  if (!m.ok) return m;
  // Counted before validation, so a link of 100,000 ops is refused without parsing them.
  const many = tooManyOps(m.value.o.length, 'the link') ?? tooManyNotes(m.value, 'the link');
  if (many) return { ok: false, error: many };
  const parsed = parseScenario(expand(m.value));
  if (!parsed.ok) return { ok: false, error: `the link's scenario is invalid: ${parsed.error}` };
  const work = linkWork(parsed.doc, 'the link');
  if (work) return { ok: false, error: work };
  return { ok: true, doc: parsed.doc, scenario: parsed.scenario };
}

export type { CompactDoc };
