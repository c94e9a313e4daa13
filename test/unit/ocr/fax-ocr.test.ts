// Real OCR on the committed fax fixtures, with each engine (the native one when built, tesseract.js
// always): every SKU and quantity exact, or flagged. Two small faxes only: the CPU is shared.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { closeSharedOcrPool, sharedOcrPool, type OcrEngineKind } from '../../../parsers/ocr/engine';
import { nativeEngineBinary } from '../../../parsers/ocr/native';
import { REVIEW_THRESHOLD } from '../../../parsers/ocr/snap';
import type { FaxTruth } from '../../../fixtures/docgen/fax';

const md = loadMasterData('fixtures/masterdata');
const truths = JSON.parse(readFileSync('fixtures/fax/truth.json', 'utf8')) as FaxTruth[];

const engines: OcrEngineKind[] = nativeEngineBinary() ? ['native', 'tesseract.js'] : ['tesseract.js'];

describe.each(engines)('engine %s', (engine) => {
  const before = process.env.AIGUILLAGE_OCR_ENGINE;
  beforeAll(async () => {
    await closeSharedOcrPool();
    process.env.AIGUILLAGE_OCR_ENGINE = engine;
  });
  afterAll(async () => {
    expect(sharedOcrPool().engine).toBe(engine);
    await closeSharedOcrPool();
    if (before === undefined) delete process.env.AIGUILLAGE_OCR_ENGINE;
    else process.env.AIGUILLAGE_OCR_ENGINE = before;
  });

  describe.each(truths)('$file ($resolution fax, $pages page(s))', (truth) => {
    it('reads the order: header, customer, and every line exact or flagged for review', async () => {
      const bytes = readFileSync(`fixtures/fax/${truth.file}`);
      const meta = describeDocument(bytes, { fileName: truth.file, channel: 'fax', receivedAt: '2026-11-23T10:45:00Z' });
      const { result } = await extractDocument(bytes, meta, md);
      expect(result.orders).toHaveLength(1);
      const order = result.orders[0]!;
      expect(order.poNumber).toBe(truth.poNumber);
      expect(order.orderDate).toBe(truth.orderDate);
      expect(order.customer.id).toBe(truth.customerId);
      expect(order.lines).toHaveLength(truth.lines.length);
      // A wrong value is tolerated only when the line says it is doubtful.
      const wrongAndConfident = order.lines.filter((l, i) => {
        const t = truth.lines[i]!;
        return (l.sku !== t.sku || l.quantity !== t.quantity) && !(l.confidence < REVIEW_THRESHOLD && l.doubts.length > 0);
      });
      expect(wrongAndConfident).toEqual([]);
      // On these fixtures the pipeline is in fact exact.
      expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual(truth.lines.map((l) => [l.sku, l.quantity]));
      if (truth.pages > 1) expect(order.provenance.signals).toContain('cover page 1 skipped');
    }, 60_000);
  });
});
