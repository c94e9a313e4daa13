// The PDF reader's work budget (issue #12: any input of up to 1 MB read or refused within 2 s). pdf.js
// parses in a thread of its own, stopped when the document has cost its budget of processor time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { pdfBudget, readPdfPages } from '../../../parsers/pdf/read';
import { duplicatedObjectsPdf } from '../../../fixtures/docgen/hostile';
import { LIMITS } from '../../../parsers/limits';

const root = join(import.meta.dirname, '../../..');
const md = loadMasterData(join(root, 'fixtures/masterdata'));
const classic = readFileSync(join(root, 'fixtures/pdf/classic-1000.pdf'));

describe('the PDF work budget', () => {
  it('refuses a PDF whose damaged cross-reference table costs more than its budget, saying what and where', { timeout: 120_000 }, async () => {
    const slow = duplicatedObjectsPdf(classic, 2000);
    expect(slow.length).toBeLessThan(LIMITS.documentBytes);
    const meta = describeDocument(slow, { fileName: 'bc-2000.pdf', channel: 'folder', receivedAt: '2026-11-23T09:00:00Z' });
    const { result } = await extractDocument(slow, meta, md);
    const p = result.problems.find((x) => x.code === 'PDF_TOO_COMPLEX');
    expect(p?.message).toMatch(/^bc-2000\.pdf: reading the PDF took more than 1\.5 s of work while loading its structure/);
    expect(p?.where).toBe('bc-2000.pdf (loading its structure (cross-reference table, catalogue, page tree))');
    expect(result.orders).toHaveLength(0);
  });

  it('reads the same kind of damage when it is small enough, and a sound PDF right after a refusal', { timeout: 120_000 }, async () => {
    await expect(readPdfPages(duplicatedObjectsPdf(classic, 4000), { cpuMs: 200 })).rejects.toMatchObject({ code: 'PDF_TOO_COMPLEX' });
    // The thread was stopped and replaced: the next document is read as usual.
    const pages = await readPdfPages(classic);
    expect(pages.map((p) => p.page)).toEqual([1, 2]);
    expect(pages[0]!.words.length).toBeGreaterThan(100);
    const damaged = await readPdfPages(duplicatedObjectsPdf(classic, 20));
    expect(damaged.length).toBe(2);
  });

  it('gives 1.5 s of work per MB started', () => {
    expect(pdfBudget(10_000).cpuMs).toBe(1500);
    expect(pdfBudget(1024 * 1024).cpuMs).toBe(1500);
    expect(pdfBudget(1024 * 1024 + 1).cpuMs).toBe(3000);
  });

  it("puts back the built-ins pdf.js's polyfills replace (Array.prototype.push three times slower)", async () => {
    await readPdfPages(classic);
    // core-js's push throws here (it checks a non-writable length); Node's own does not.
    expect(() => Object.defineProperty([], 'length', { writable: false }).push()).not.toThrow();
  });
});
