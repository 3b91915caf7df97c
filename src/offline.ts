// Registers the service worker that lets the page reload offline (scripts/offline.ts builds it).
// From a module, never an inline script (the CSP forbids those). Only in a production build
// served over http(s): the dev server has no service worker, and a page opened from disk (the
// one-file build, file://) cannot register one. After the page has loaded, so precaching the
// other chunks never competes with the first paint.
export function registerOffline(): void {
  if (!import.meta.env.PROD || import.meta.env.MODE === 'single') return;
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  const register = () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {
      // No service worker (private mode, storage refused): the page works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
