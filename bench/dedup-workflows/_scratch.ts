import { join } from 'node:path';
import { loadMasterData } from '/work/main/domain/masterdata';
import { loadScenarios } from '/work/main/bench/dedup-fixtures';
import { documentFor } from '/work/main/bench/dedup-workflows/documents';
import { compareRead, readDocument } from '/work/main/bench/dedup-workflows/readback';
const md = loadMasterData('/work/main/fixtures/masterdata');
let n = 0;
for (const sc of loadScenarios()) for (const o of [...sc.existing, sc.incoming]) {
  const d = documentFor(o, md, n++);
  const r = await readDocument(d, md);
  const diff = compareRead(o, r.orders[0]);
  if (diff.length || r.orders.length !== 1) console.log(sc.name, o.orderId, d.form, r.orders.length, diff, r.problems);
}
