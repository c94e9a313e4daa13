// One reader process (activities/extract-runner.ts): reads the documents its parent sends, one at a
// time, and sends back each Extraction. OCR pages go to the parent's pool.
import { MasterData } from '../domain/masterdata';
import { extractDocument } from '../parsers/index';
import { ReaderBusyError } from '../parsers/types';
import { OcrError, useOcrRecognizer, type OcrPageResult } from '../parsers/ocr/engine';
import type { FromReader, ToReader } from './extract-runner';

const send = (m: FromReader) => process.send?.(m);
let masterData: { version: number; data: MasterData } | null = null;
let job = 0;
let ocrSize = 2;
let nextOcr = 1;
const pendingOcr = new Map<number, { resolve: (r: OcrPageResult) => void; reject: (e: Error) => void }>();

useOcrRecognizer({
  get size() {
    return ocrSize;
  },
  recognize(image, opts, pixels = 0) {
    const id = nextOcr++;
    return new Promise<OcrPageResult>((resolve, reject) => {
      pendingOcr.set(id, { resolve, reject });
      send({ type: 'ocr', job, id, image, opts, pixels });
    });
  },
});

process.on('message', (m: ToReader) => {
  if (m.type === 'ocr-result') {
    const p = pendingOcr.get(m.id);
    pendingOcr.delete(m.id);
    if (!p) return;
    if (m.error) p.reject(new OcrError(m.error.code as OcrError['code'], m.error.message));
    else p.resolve(m.result as OcrPageResult);
    return;
  }
  if (m.type !== 'extract') return;
  job = m.job;
  ocrSize = m.ocrSize;
  if (m.masterData.records) masterData = { version: m.masterData.version, data: new MasterData(m.masterData.records) };
  const current = job;
  send({ type: 'started', job: current });
  (async () => {
    if (!masterData || masterData.version !== m.masterData.version) throw new Error('master data missing in the reader process');
    const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    const extraction = await extractDocument(bytes, m.meta, masterData.data);
    send({ type: 'done', job: current, extraction });
  })().catch((e: unknown) => send({ type: 'failed', job: current, message: (e as Error).message ?? String(e), busy: e instanceof ReaderBusyError }));
});

// The parent is gone: nothing left to read for.
process.on('disconnect', () => process.exit(0));
