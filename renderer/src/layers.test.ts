// The code's map (DESIGN.md "Layout": the arrows point down only — features → db/sync → shared): the
// database and sync layers never import a screen, and no module of the renderer or the pure core is
// part of an import cycle (type-only imports included: a cycle of types is still a knot in the map).
// Biome's noRestrictedImports (biome.json) says the same at lint time for db/ and sync/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['renderer/src', 'shared'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  const isFile = (path: string) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')])
    if (/\.tsx?$/.test(candidate) && isFile(candidate)) return candidate;
  return null;
}

/** file → the project files it imports (relative paths from the repository root). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)))) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const target = resolveImport(file, (m[1] ?? m[2]) as string);
      if (target) targets.add(relative(ROOT, target));
    }
    graph.set(relative(ROOT, file), [...targets]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan): each is an import cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the code map: layers point down, no import cycles', () => {
  const graph = importGraph();

  it('reads the whole renderer and the pure core', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get('renderer/src/db/commands.ts')).toContain('renderer/src/db/commands/import.ts');
  });

  it('renderer/src/db and renderer/src/sync import no screen (features/, app/)', () => {
    const wrong = [...graph].flatMap(([file, targets]) =>
      /^renderer\/src\/(db|sync)\//.test(file)
        ? targets.filter((t) => /^renderer\/src\/(features|app)\//.test(t)).map((t) => `${file} → ${t}`)
        : [],
    );
    expect(wrong).toEqual([]);
  });

  it('shared/ imports nothing outside shared/', () => {
    const wrong = [...graph].flatMap(([file, targets]) =>
      file.startsWith('shared/')
        ? targets.filter((t) => !t.startsWith('shared/')).map((t) => `${file} → ${t}`)
        : [],
    );
    expect(wrong).toEqual([]);
  });

  it('no import cycle in renderer/src or shared/', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('the cycle check finds a cycle when there is one', () => {
    const knot = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(knot)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
