// Bundles the Electron main process and the preload script with esbuild:
//   electron/main.ts    → dist-electron/main.cjs
//   electron/preload.ts → dist-electron/preload.cjs
// CommonJS, because a sandboxed preload must be CommonJS; `electron` stays external (it is the runtime).
// The window icon is copied beside them, since build/ is not part of the packaged app.
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// XUEJI_ELECTRON_OUTDIR lets the build test write elsewhere than the real dist-electron/.
const out = path.resolve(root, process.env.XUEJI_ELECTRON_OUTDIR ?? 'dist-electron');
const production = process.env.NODE_ENV !== 'development';

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: production ? false : 'inline',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(root, 'electron/main.ts')],
    outfile: path.join(out, 'main.cjs'),
  }),
  build({
    ...common,
    entryPoints: [path.join(root, 'electron/preload.ts')],
    outfile: path.join(out, 'preload.cjs'),
  }),
]);

// A sandboxed preload can require only 'electron' (and a few renderer built-ins): refuse a bundle that
// would fail at run time with "module not found".
const preload = await readFile(path.join(out, 'preload.cjs'), 'utf8');
const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
const unexpected = requires.filter((r) => r !== 'electron');
if (unexpected.length > 0) {
  console.error(
    `preload.cjs requires ${unexpected.join(', ')}: a sandboxed preload may only require 'electron'.`,
  );
  process.exit(1);
}

await copyFile(path.join(root, 'build/icon.png'), path.join(out, 'icon.png'));
console.log(`built ${path.relative(root, out)}/main.cjs, preload.cjs, icon.png`);
