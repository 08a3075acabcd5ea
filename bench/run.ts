// `npm run bench`: runs every suite in bench/suites and prints one JSON object whose keys name the
// figures (e.g. "roster.search.p95Ms"). `npm run bench -- roster forms` runs only the named suites.
// Progress goes to stderr so stdout stays one JSON object.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type BenchSuite = { run(): Promise<Record<string, number | string>> };

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.includes(basename(f, '.ts')))
  .sort();

const figures: Record<string, number | string> = {};
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`bench: ${file} …\n`);
  const suite = (await import(pathToFileURL(join(here, 'suites', file)).href)) as BenchSuite;
  Object.assign(figures, await suite.run());
  process.stderr.write(`bench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
