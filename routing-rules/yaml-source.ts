// YAML parsed with its node positions, so that a zod issue or a semantic check can say
// "rules.yaml:14:7: …". Pure (the `yaml` package has no Node built-ins).
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { RuleError } from './errors';

export type Path = (string | number)[];

/**
 * A YAML configuration file's value, or its first syntax error with its line. For every YAML file
 * IT edits (mailboxes, users): bounded time on any input (see YamlSource on pretty errors).
 */
export function readYaml(text: string): { value: unknown; error: null } | { value: null; error: { line: number; column: number; message: string } } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const e = doc.errors[0];
  if (!e) return { value: doc.toJS(), error: null };
  const p = lines.linePos(e.pos[0]);
  return { value: null, error: { line: p.line, column: p.col, message: e.message.split('\n')[0]! } };
}

export class YamlSource {
  readonly doc: Document;
  private readonly lines = new LineCounter();
  readonly errors: RuleError[] = [];

  constructor(
    readonly file: string,
    text: string,
  ) {
    // Not the package's pretty errors: their excerpt of the line trims it with a regular expression
    // that takes the square of a long run of line breaks (a 100 KB file of them held it 30 s).
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of this.doc.errors) {
      const { line, column } = this.at(e.pos[0]);
      this.errors.push({ file, line, column, message: `YAML syntax: ${e.message.split('\n')[0]}` });
    }
  }

  value(): unknown {
    return this.doc.toJS();
  }

  /** Position of the node at a path; for a missing node, of its nearest existing parent. */
  position(path: Path, key?: string): { line: number; column: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
        // Point at the offending key itself when asked (unknown keys).
        if (key !== undefined && n === path.length && isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
          if (range) return this.at(range[0]);
        }
        return this.at(node.range[0] as number);
      }
    }
    return { line: 1, column: 1 };
  }

  error(path: Path, message: string, key?: string): RuleError {
    const p = this.position(path, key);
    return { file: this.file, line: p.line, column: p.column, message };
  }

  /** zod issues → positioned errors: "rules[2].when.departement: expected …". */
  zodErrors(issues: readonly z.core.$ZodIssue[], prefix: Path = []): RuleError[] {
    return issues.map((iss) => {
      const path = [...prefix, ...iss.path.filter((p): p is string | number => typeof p !== 'symbol')];
      const where = describePath(path);
      if (iss.code === 'unrecognized_keys') {
        return this.error(path, `${where ? `${where}: ` : ''}${iss.message}`, iss.keys[0]);
      }
      const exists = path.length === 0 || this.doc.hasIn(path);
      const message = !exists && iss.code === 'invalid_type' ? `missing "${String(path[path.length - 1])}" (${iss.message.replace(/^Invalid input: /, '')})` : iss.message;
      return this.error(path, `${where ? `${where}: ` : ''}${message}`);
    });
  }

  private at(offset: number): { line: number; column: number } {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }
}

export function describePath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
