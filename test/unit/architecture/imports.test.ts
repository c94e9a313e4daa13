// The layout of ../shared/DESIGN.md, kept (issue #11): no import cycle anywhere in the project's
// code, and no import running back up the layers (the domain and the readers stay pure; product code
// never reaches into tests, benchmarks or set-up scripts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const SKIP = new Set(['node_modules', '.tools', '.git', 'fixtures', 'native', 'docs', 'data', 'test']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name) || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file (static, dynamic, type-only and re-exports), resolved to files. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const hit = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
    if (hit) out.push(hit);
  }
  return out;
}

const files = sources(ROOT);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(ROOT, f);

/** Every cycle, once, as a path of files (Tarjan's strongly connected components). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        comp.push(rel(w));
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe('the layout', () => {
  it('reads the whole project', () => {
    expect(files.length).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('has no import cycle', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps the domain and the readers below the processes, and product code out of tests, benchmarks and scripts', () => {
    const wrong: string[] = [];
    const rules: [RegExp, RegExp][] = [
      [/^domain\//, /^(?:workflows|activities|worker|storage|channels|intake|http|web|erp|parsers)\//],
      [/^parsers\//, /^(?:workflows|activities|worker|channels|intake|http|web|erp)\//],
      [/^(?!test\/|bench\/|scripts\/)/, /^(?:test|bench|scripts)\//],
    ];
    for (const [from, tos] of graph) {
      for (const to of tos) {
        for (const [a, b] of rules) if (a.test(rel(from)) && b.test(rel(to))) wrong.push(`${rel(from)} → ${rel(to)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
