// `npm run build:single`: the whole app as one HTML file that works opened from disk (file://),
// where a module script cannot load another file. vite-plugin-singlefile inlines the bundle (one
// chunk: the lazy parts are inlined too) and the stylesheet. The page keeps its CSP, with one
// change: the inlined <script> and <style> are allowed by their SHA-256 hashes instead of
// 'self' — still no 'unsafe-inline' and no 'unsafe-eval', so any other inline script or eval is
// refused as on the served page. No service worker (file:// cannot register one).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin, PluginOption } from 'vite';
import { viteSingleFile } from 'vite-plugin-singlefile';
import { CSP } from './csp.ts';

/** The one file `npm run build:single` writes (in dist-single/). */
export const SINGLE_FILE = 'sva-explorer.html';

const ICON = new URL('../public/favicon.svg', import.meta.url);

const hashOf = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The served page's CSP with script-src and style-src set to the hashes of the inline code. */
export function singleCsp(scripts: readonly string[], styles: readonly string[]): string {
  return CSP.split('; ')
    .map((d) => {
      if (d.startsWith('script-src ')) return `script-src ${scripts.map(hashOf).join(' ')}`;
      if (d.startsWith('style-src ')) return `style-src ${styles.map(hashOf).join(' ')}`;
      return d;
    })
    .join('; ');
}

const bodies = (html: string, tag: 'script' | 'style'): string[] =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);

/**
 * Puts the CSP meta tag (first in <head>, before any script) into the inlined page, after
 * vite-plugin-singlefile has inlined it, so the hashes are of the code as the file holds it.
 */
function hashCsp(): Plugin {
  return {
    name: 'sva-csp-single',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const f of Object.values(bundle)) {
          if (f.type !== 'asset' || !f.fileName.endsWith('.html')) continue;
          const html = String(f.source);
          const policy = singleCsp(bodies(html, 'script'), bodies(html, 'style'));
          if (!html.includes('<head>')) this.error(`${f.fileName}: no <head> for the CSP`);
          const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
          // The icon travels inside the file too (img-src allows data:).
          const icon = `data:image/svg+xml;base64,${readFileSync(ICON).toString('base64')}`;
          f.source = html
            .replace('<head>', () => `<head>\n    ${meta}`)
            .replace('href="./favicon.svg"', () => `href="${icon}"`);
        }
      },
    },
  };
}

export function singleFile(): PluginOption[] {
  return [viteSingleFile({ removeViteModuleLoader: true, outputFileName: SINGLE_FILE }), hashCsp()];
}
