// The embedded view (`?embed=1` before the `#s=…` fragment, docs/scenario-format.md "Page
// URLs"): a read-only view of one moment for an iframe. It neither reads nor writes the
// visitor's saved work and never rewrites the URL.
import { decodeLink } from '../../share/index.ts';
import { createAppStore, type AppStore } from '../../state/index.ts';
import { seedStory } from '../../scenario/index.ts';

export const isEmbed = (search: string): boolean =>
  new URLSearchParams(search).get('embed') === '1';

/** The full page's URL for the same moment: the same fragment without `embed`. */
export function fullPageUrl(loc: {
  origin: string;
  pathname: string;
  search: string;
  hash: string;
}): string {
  const q = new URLSearchParams(loc.search);
  q.delete('embed');
  const s = q.toString();
  return `${loc.origin}${loc.pathname}${s ? `?${s}` : ''}${loc.hash}`;
}

/** The store of an embed: the link's scenario at its moment, or the seed story saying why not. */
export function embedStore(hash: string): AppStore {
  const r = decodeLink(hash);
  if (r.ok) return createAppStore(r.doc, { cursor: r.doc.cursor });
  return createAppStore(seedStory, {
    notice: hash ? `This embed's link could not be opened: ${r.error}` : null,
  });
}

/** The HTML a page pastes to embed this moment (the page URL with `embed=1`). */
export function embedCode(pageUrl: string, title: string): string {
  const u = new URL(pageUrl);
  u.searchParams.set('embed', '1');
  const attr = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(u.toString())}" title="${attr(title)}" width="800" height="450" style="border:0" loading="lazy"></iframe>`;
}
