// Where Playwright finds a Chromium on this machine: $CHROMIUM_PATH, then Debian's binary
// (preferred over the /usr/bin/chromium shell wrapper, which sources /etc/chromium.d/*).
import { existsSync } from 'node:fs';

export const CANDIDATES = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];

/** @returns {string | undefined} */
export function chromiumPath() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p));
}
