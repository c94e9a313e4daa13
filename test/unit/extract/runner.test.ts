// The deadline runner with the real readers in real child processes: a document past its deadline
// is stopped with EXTRACTION_TIMEOUT and costs nobody else anything; readers are reused.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { ExtractRunner, extractRunnerOptionsFromEnv, failedReading, READER_BUSY } from '../../../activities/extract-runner';
import { closeSharedOcrPool } from '../../../parsers/ocr/index';

const md = loadMasterData('fixtures/masterdata');
const doc = (path: string) => {
  const bytes = readFileSync(path);
  return { bytes, meta: describeDocument(bytes, { fileName: path.split('/').pop()!, channel: 'folder', receivedAt: '2026-11-23T08:15:00.000Z' }) };
};
const edi = doc('fixtures/samples/brico-centre-850-004010.edi');
const fax = doc('fixtures/samples/dupont-fine.tif');
const pdf = doc('fixtures/samples/classic-1000.pdf');

afterAll(() => closeSharedOcrPool());

describe('extraction under a deadline', () => {
  it('reads documents in one reused reader process, with the same result as in-process', async () => {
    const runner = new ExtractRunner({ size: 1 });
    try {
      const a = await runner.run(edi.bytes, edi.meta, md);
      const b = await runner.run(pdf.bytes, pdf.meta, md);
      expect(a.result).toEqual((await extractDocument(edi.bytes, edi.meta, md)).result);
      expect(b.result.orders[0]?.poNumber).toBe('CDE-2026-02224');
      expect(b.result.orders[0]?.lines).toHaveLength(34);
      expect(runner.stats.started).toBe(1);
    } finally {
      await runner.close();
    }
  });

  it('stops a document past its deadline with EXTRACTION_TIMEOUT, and the next document is read by a fresh reader', async () => {
    // An OCR'd fax takes seconds; with a 300 ms deadline and no allowance per page it cannot finish.
    const runner = new ExtractRunner({ size: 1, deadlineMs: 300, ocrPageMs: 0 });
    try {
      const [slow, next] = await Promise.all([runner.run(fax.bytes, fax.meta, md), runner.run(edi.bytes, edi.meta, md)]);
      expect(slow.unreadable).toBe(true);
      expect(slow.result.problems.map((p) => p.code)).toEqual(['EXTRACTION_TIMEOUT']);
      expect(slow.result.problems[0]!.message).toContain('dupont-fine.tif');
      expect(runner.stats.timeouts).toBe(1);
      expect(next.result.orders[0]?.poNumber).toBe('BCR-2026-118734');
      expect(runner.stats.started).toBe(2);
    } finally {
      await runner.close();
    }
  });

  it('gives each page sent to OCR more time: the fax is read under a short base deadline', async () => {
    const runner = new ExtractRunner({ size: 1, deadlineMs: 5_000, ocrPageMs: 120_000 });
    try {
      const r = await runner.run(fax.bytes, fax.meta, md);
      expect(r.result.orders[0]?.poNumber).toBe('CDE-2026-1142');
    } finally {
      await runner.close();
    }
  });

  it('tells a reader stopped by a busy machine (retried) from a reader that failed on the document (quarantined)', () => {
    expect(failedReading('scan.pdf', { message: 'pdfimages was stopped at its time limit 3 time(s)', busy: true })).toMatchObject({ code: READER_BUSY, where: 'scan.pdf' });
    expect(failedReading('scan.pdf', { message: 'bad xref' })).toMatchObject({ code: 'PARSER_FAILED', message: 'scan.pdf: could not be read (bad xref)' });
  });

  it('reads its settings from the environment', () => {
    expect(extractRunnerOptionsFromEnv({ AIGUILLAGE_EXTRACT_DEADLINE_SECONDS: '5', AIGUILLAGE_EXTRACT_OCR_PAGE_SECONDS: '30', AIGUILLAGE_EXTRACT_PROCESSES: '3' })).toEqual({ size: 3, deadlineMs: 5_000, ocrPageMs: 30_000 });
    expect(extractRunnerOptionsFromEnv({ AIGUILLAGE_EXTRACT_DEADLINE_SECONDS: 'soon' }).deadlineMs).toBe(60_000);
  });
});
