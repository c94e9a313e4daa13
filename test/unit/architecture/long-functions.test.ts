// No god functions (issue #11): no function, method or arrow function over 80 lines outside tests
// and fixtures. `npm run lint:functions` prints the same list with file:line.
import { describe, expect, it } from 'vitest';
import { longFunctions, scanProject } from '../../../scripts/long-functions';

const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('long functions', () => {
  it('finds a function, a method and an arrow function over the limit, with their line and length', () => {
    const text = [
      `export function short() {\n${body(78)}\n}`, // 80 lines: allowed
      `function tooLong() {\n${body(79)}\n}`, // 81 lines
      `class C {\n  method() {\n${body(79)}\n  }\n}`,
      `const arrow = () => {\n${body(79)}\n};`,
    ].join('\n');
    const found = longFunctions('x.ts', text, 80);
    expect(found.map((f) => [f.name, f.lines])).toEqual([['tooLong', 81], ['method', 81], ['arrow', 81]]);
    expect(found[0]!.line).toBe(81);
  });

  it('none is left in the project', () => {
    expect(scanProject().map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });
});
