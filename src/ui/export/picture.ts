// Pictures of the current moment: the diagram and the stepper's lanes as stand-alone SVG (every
// style the page's stylesheet gives an element written onto it, so the file needs no CSS) or as
// PNG (that SVG drawn on a canvas), in the light or the dark theme whatever the page shows.
// Loaded on demand (the Share dialog imports it on the first export).

export type PictureWhat = 'diagram' | 'lanes';
export type PictureTheme = 'light' | 'dark';
export type PictureFormat = 'svg' | 'png';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The inherited presentation properties an SVG element takes from CSS. An element's value is
 * written only where it differs from its parent's (the top element gets all), so files stay
 * small and every element still ends up with the value the page shows.
 */
const INHERITED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'paint-order',
  'visibility',
] as const;

/** The SVGs that draw `what` on the page now (the lanes only while the Stepper tab shows). */
export function sourcesOf(what: PictureWhat, doc: Document = document): SVGSVGElement[] {
  if (what === 'lanes') {
    const lanes = doc.querySelector<SVGSVGElement>('svg[data-testid="flow-svg"]');
    return lanes ? [lanes] : [];
  }
  const main = doc.querySelector<SVGSVGElement>('svg[data-testid="diagram-svg"]');
  const marks = doc.querySelector<SVGSVGElement>('svg.dg-overlay');
  return main ? (marks ? [main, marks] : [main]) : [];
}

/** The lane names beside the lanes' SVG (HTML on the page), as SVG text in their own style. */
function laneLabels(svg: SVGSVGElement): { column: SVGGElement; width: number } | null {
  const list = svg.closest('[data-testid="flow-lanes"]')?.querySelector('.stp-lane-labels');
  if (!list) return null;
  const width = Math.ceil(list.getBoundingClientRect().width) + 8;
  const top = svg.getBoundingClientRect().top;
  const column = document.createElementNS(SVG_NS, 'g');
  for (const li of list.querySelectorAll('li')) {
    const r = li.getBoundingClientRect();
    const cs = getComputedStyle(li);
    const t = document.createElementNS(SVG_NS, 'text');
    t.setAttribute('x', '4');
    t.setAttribute('y', String(Math.round(r.top - top + r.height / 2)));
    t.setAttribute(
      'style',
      `fill:${cs.color};font-family:${cs.fontFamily};font-size:${cs.fontSize};font-weight:${cs.fontWeight};dominant-baseline:central`,
    );
    t.textContent = li.textContent;
    column.append(t);
  }
  return { column, width };
}

/** The first opaque background colour at or above `el` (the pane the picture sits on). */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return getComputedStyle(document.documentElement).backgroundColor || '#ffffff';
}

/** Writes the computed styles of `from` and its descendants onto the clone `to`. */
function inlineStyles(from: Element, to: Element, parent: readonly string[] | null): void {
  const cs = getComputedStyle(from);
  const values = INHERITED.map((p) => cs.getPropertyValue(p));
  const decl: string[] = [];
  INHERITED.forEach((p, i) => {
    if (values[i] && values[i] !== parent?.[i]) decl.push(`${p}:${values[i]}`);
  });
  // Not inherited: written where they are not their initial values.
  if (cs.opacity !== '1') decl.push(`opacity:${cs.opacity}`);
  if (cs.display === 'none') decl.push('display:none');
  to.removeAttribute('class');
  to.removeAttribute('tabindex');
  to.removeAttribute('style');
  if (decl.length) to.setAttribute('style', decl.join(';'));
  const a = from.children;
  const b = to.children;
  for (let i = 0; i < a.length && i < b.length; i++) inlineStyles(a[i]!, b[i]!, values);
}

/**
 * Size of an SVG's drawing: its layout's size (data-width/data-height: the diagram's SVG keeps a
 * larger box, DiagramView useRoom), else its width/height attributes, else its box.
 */
function sizeOf(svg: SVGSVGElement): { w: number; h: number } {
  const attr = (name: string): number =>
    Number(svg.getAttribute(`data-${name}`)) || Number(svg.getAttribute(name));
  const w = attr('width') || svg.getBoundingClientRect().width;
  const h = attr('height') || svg.getBoundingClientRect().height;
  return { w: Math.ceil(w), h: Math.ceil(h) };
}

export interface Picture {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/**
 * One stand-alone SVG of `sources` stacked on each other (the diagram and its step marks), in
 * `theme`: the page's theme is switched for the time it takes to read the styles and put back
 * before the browser paints, so nothing flickers.
 */
export function pictureOf(
  sources: readonly SVGSVGElement[],
  theme: PictureTheme,
  title: string,
): Picture {
  const first = sources[0];
  if (!first) throw new Error('nothing to export: the view is not on the page');
  const root = document.documentElement;
  const before = root.dataset['theme'];
  root.dataset['theme'] = theme;
  try {
    const size = sizeOf(first);
    // The lanes' names sit left of their drawing.
    const labels = laneLabels(first);
    const left = labels?.width ?? 0;
    const w = size.w + left;
    const h = size.h;
    const out = document.createElementNS(SVG_NS, 'svg');
    out.setAttribute('xmlns', SVG_NS);
    out.setAttribute('width', String(w));
    out.setAttribute('height', String(h));
    out.setAttribute('viewBox', `0 0 ${w} ${h}`);
    const t = document.createElementNS(SVG_NS, 'title');
    t.textContent = title;
    out.append(t);
    const bg = document.createElementNS(SVG_NS, 'rect');
    bg.setAttribute('width', '100%');
    bg.setAttribute('height', '100%');
    bg.setAttribute('fill', backgroundOf(first.parentElement ?? first));
    out.append(bg);
    if (labels) out.append(labels.column);
    for (const src of sources) {
      const copy = src.cloneNode(true) as SVGSVGElement;
      inlineStyles(src, copy, null);
      // A card's "?" (its glossary terms) is a page control, not part of the picture.
      for (const g of copy.querySelectorAll('[data-testid^="gloss-"]')) g.remove();
      copy.setAttribute('x', String(left));
      copy.setAttribute('y', '0');
      copy.removeAttribute('aria-hidden');
      out.append(copy);
    }
    return { svg: new XMLSerializer().serializeToString(out), width: w, height: h };
  } finally {
    if (before === undefined) delete root.dataset['theme'];
    else root.dataset['theme'] = before;
  }
}

/** The largest canvas browsers draw reliably: 16 M pixels, 16384 px a side. */
export function pngScale(w: number, h: number, wanted = 2): number {
  const byArea = Math.sqrt(16_000_000 / Math.max(1, w * h));
  const bySide = 16_384 / Math.max(1, w, h);
  return Math.max(0.1, Math.min(wanted, byArea, bySide));
}

/** The picture as PNG, at twice its size (less for a very large diagram). */
export async function pngOf(p: Picture): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([p.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const k = pngScale(p.width, p.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(p.width * k));
    canvas.height = Math.max(1, Math.round(p.height * k));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves `blob` as a download named `name`. */
export function save(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Exports `what` as a file; returns an error sentence, or null when the download started. */
export async function exportPicture(
  what: PictureWhat,
  format: PictureFormat,
  theme: PictureTheme,
  base: string,
): Promise<string | null> {
  const sources = sourcesOf(what);
  if (sources.length === 0)
    return what === 'lanes'
      ? 'Open the Stepper tab first: the lanes are exported as it shows them.'
      : 'The diagram is not on the page.';
  const label = what === 'lanes' ? 'stepper lanes' : 'diagram';
  const p = pictureOf(sources, theme, `${base} — ${label}`);
  const name = `${base.replace(/[^\w.-]+/g, '-').slice(0, 60)}-${what}-${theme}.${format}`;
  try {
    save(name, format === 'svg' ? new Blob([p.svg], { type: 'image/svg+xml' }) : await pngOf(p));
    return null;
  } catch (e) {
    return `The picture could not be made: ${e instanceof Error ? e.message : String(e)}`;
  }
}
