import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { extractDocument, describeDocument } from '../../../../parsers/index';
import { loadMasterData } from '../../../../domain/masterdata';
import { closeSharedOcrPool } from '../../../../parsers/ocr/engine';
const md = loadMasterData('fixtures/masterdata');
for (const f of process.argv.slice(2)) {
  const bytes = readFileSync(f);
  const meta = describeDocument(bytes, { fileName: basename(f), channel: 'fax', receivedAt: '2026-11-23T10:45:00Z' });
  const t = Date.now();
  const x = await extractDocument(bytes, meta, md);
  console.log(f, Date.now() - t, 'ms');
  for (const o of x.result.orders) {
    console.log(o.poNumber, o.orderDate, o.requestedDeliveryDate, o.customer, o.confidence, o.shipTo.city, o.provenance.signals);
    for (const l of o.lines) console.log(' ', l.lineNumber, l.sku, l.customerPartNumber, l.quantity, l.unit, l.unitPrice, l.confidence, l.doubts.join(' | '));
  }
  for (const p of x.result.problems) console.log(' !', p.code, p.message);
}
await closeSharedOcrPool();
