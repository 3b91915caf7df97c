// The built page's Content-Security-Policy, as a <meta http-equiv> tag (the page is static files:
// there is no server of ours to send a header, and a copy on any web host or disk keeps it).
// Everything the page runs and loads is its own: no inline script, no eval, no other origin.
// Styles: only the bundled stylesheet; React and d3 set style through the CSSOM, which a CSP
// does not restrict. data:/blob: images are the pictures the page exports and shows. A <meta>
// policy cannot carry frame-ancestors, report-uri or sandbox (CSP3 §3.3), so none is given.
// Only for `vite build`: the dev server injects inline scripts (React refresh) of its own.
import type { Plugin } from 'vite';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function csp(): Plugin {
  return {
    name: 'sva-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
