// `npm run sva -- <command>`: the CLI (src/cli/main.ts) from a bundle cached in
// node_modules/.cache/sva-cli, so a call does not compile TypeScript first (that took ~0.75 s),
// run with V8's code cache for it (what Node's own compile cache does from v22), so it does not
// parse and compile a megabyte of JavaScript either.
//
// The bundle is rebuilt (esbuild, ~0.2 s) whenever it might be stale: the manifest beside it
// lists every file esbuild read — sources, JSON, dependencies — plus tsconfig.json, the lock file
// and this launcher, each with its size, mtime and ctime (any write changes ctime), and the
// bundle's own. A file that differs, is missing, or was written while the bundle was being built
// means a rebuild. Without esbuild the CLI still runs, compiled on the fly by tsx as before.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.SVA_CLI_CACHE ?? path.join(root, 'node_modules', '.cache', 'sva-cli');
const bundle = path.join(dir, 'cli.cjs');
const codeCache = path.join(dir, 'cli.v8cache');
const manifest = path.join(dir, 'inputs.json');
/** Bumped when the build options below change. */
const FORMAT = 2;
const ALWAYS = ['scripts/sva.mjs', 'tsconfig.json', 'package-lock.json', 'package.json'];

const signature = (file) => {
  const s = statSync(path.resolve(root, file));
  return `${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
};

function fresh() {
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8'));
    if (m.format !== FORMAT || m.bundle !== signature(bundle)) return false;
    for (const [file, sig] of m.inputs) if (signature(file) !== sig) return false;
    return true;
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  const r = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // main.ts runs itself when it is the entry point; here the launcher calls main().
    define: { 'import.meta.url': '"sva-cli-bundle"' },
    outfile: tmp,
    metafile: true,
    logLevel: 'silent',
  });
  renameSync(tmp, bundle);
  rmSync(codeCache, { force: true });
  const files = [...new Set([...Object.keys(r.metafile.inputs), ...ALWAYS])];
  const inputs = files.map((f) => [f, signature(f)]);
  // A file written during the build may or may not be in the bundle: record nothing, so the
  // next call builds again.
  const racy = files.some((f) => {
    const s = statSync(path.resolve(root, f));
    return s.mtimeMs >= started || s.ctimeMs >= started;
  });
  if (racy) rmSync(manifest, { force: true });
  else {
    const tmpManifest = `${manifest}.${process.pid}.tmp`;
    writeFileSync(
      tmpManifest,
      JSON.stringify({ format: FORMAT, bundle: signature(bundle), inputs }),
    );
    renameSync(tmpManifest, manifest);
  }
}

/** Runs the bundle as Node runs a CommonJS module, compiled with (or producing) its code cache. */
function run(argv) {
  const source = readFileSync(bundle, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(codeCache);
  } catch {
    cachedData = undefined;
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dir);
  const out = module.exports.main(argv);
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds the functions it compiled too.
    const tmp = `${codeCache}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, codeCache);
  }
  return out;
}

async function main(argv) {
  if (!fresh()) {
    try {
      await build();
    } catch (e) {
      if (process.env.SVA_CLI_DEBUG) console.error('sva: bundling failed, using tsx:', e);
      await import('tsx/esm');
      const cli = await import(pathToFileURL(path.join(root, 'src/cli/main.ts')).href);
      return cli.main(argv);
    }
  }
  return run(argv);
}

const r = await main(process.argv.slice(2));
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
process.exitCode = r.code;
