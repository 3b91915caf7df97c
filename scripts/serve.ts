// A production build of the app served by `vite preview` on a free port, for the UI benchmarks
// and the screenshot script. `stop()` ends the server and removes the build folder.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer in ${ms} ms`);
}

/**
 * Serves an existing build folder with `vite preview` on a free port (the A/B scripts compare
 * builds made beforehand). `stop()` ends the server (npx and vite: their own process group).
 */
export async function preview(dir: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const args = ['vite', 'preview', '--outDir', dir, '--port', String(port), '--strictPort'];
  const child = spawn('npx', [...args, '--host', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true, // its own process group, so stop() ends npx and vite together
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid);
    } catch {
      child.kill();
    }
  };
  try {
    await waitForHttp(url, 30_000);
  } catch (e) {
    stop();
    throw e;
  }
  return { url, stop };
}

/**
 * Builds into `outDir` (relative to the project; removed by stop) and serves it, with `extra`
 * files (name → content) written beside the build.
 */
export async function serve(
  outDir: string,
  extra: Readonly<Record<string, string>> = {},
): Promise<{ url: string; stop: () => void }> {
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('vite build failed');
  for (const [name, content] of Object.entries(extra))
    writeFileSync(new URL(`${outDir}/${name}`, `file://${ROOT}/`), content);
  const server = await preview(outDir);
  const stop = () => {
    rmSync(new URL(outDir, `file://${ROOT}/`), { recursive: true, force: true });
    server.stop();
  };
  return { url: server.url, stop };
}
