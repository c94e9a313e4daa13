// Lists every function, method or arrow function longer than the limit (80 lines by default) in the
// product code (every .ts file outside node_modules, test/ and fixtures/), with file:line and length.
// Exits 1 when one is found (issue #11: no god functions). Usage: tsx scripts/long-functions.ts [limit]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const skipped = new Set(['node_modules', 'test', 'fixtures', '.data', '.tools', 'dist', '.git']);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText();
  }
  return '(anonymous)';
}

export interface LongFunction { file: string; line: number; lines: number; name: string }

export function longFunctions(file: string, text: string, limit: number): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const body = fn.body!;
      const first = source.getLineAndCharacterOfPosition(fn.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(body.getEnd()).line;
      const lines = last - first + 1;
      if (lines > limit) found.push({ file, line: first + 1, lines, name: nameOf(fn) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every function over `limit` lines in the project's own code, longest first. */
export function scanProject(dir = root, limit = 80): LongFunction[] {
  const all = tsFiles(dir).flatMap((path) => longFunctions(relative(dir, path), readFileSync(path, 'utf8'), limit));
  return all.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const limit = Number(process.argv[2] ?? 80);
  if (!Number.isInteger(limit) || limit < 1) {
    console.error(`long-functions: the limit must be a positive whole number of lines, got "${process.argv[2]}"`);
    process.exit(2);
  }
  const all = scanProject(root, limit);
  for (const f of all) console.log(`${f.file}:${f.line}  ${f.lines} lines  ${f.name}`);
  console.log(`${all.length} function(s) over ${limit} lines`);
  process.exitCode = all.length > 0 ? 1 : 0;
}
