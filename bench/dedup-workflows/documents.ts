// Turns a dedup fixture order (bench/dedup-fixtures.ts) into the real document its channel would
// carry, so that the workflows benchmark goes through the real readers rather than handing them
// ready-made orders: EDI X12 850 through the project's writer, *.order.json for the API, an e-mail
// carrying a PDF from fixtures/docgen/pdf.ts for orders read from a PDF, and a plain text e-mail
// (RFC 822) for the other e-mails, faxes and scans. Fax and scan stand in as text e-mails: rendering
// and OCR-ing a page per fixture would take minutes on two cores and measure the OCR, not the
// dedup; the misreads the fixtures encode (1I87, O455, 7712A5) are written as the OCR would have
// read them, so the dedup sees the same faulty values.
import type { DedupOrder } from '../../domain/dedup';
import type { MasterData } from '../../domain/masterdata';
import type { Channel } from '../../domain/order';
import { writeX12, x12OrderSegments, type OutgoingOrder } from '../../parsers/edi/writer';
import { renderOrderPdf } from '../../fixtures/docgen/pdf';
import type { OrderTruth } from '../../fixtures/docgen/orders';

export interface GeneratedDocument {
  bytes: Buffer;
  fileName: string;
  channel: Channel;
  receivedAt: string;
  /** How the document was made ("x12-850", "order.json", "text e-mail standing for a fax"…). */
  form: string;
}

const OUR_X12_ID = 'FIXRHONEALPES';
const OUR_MAILBOX = 'adv@fixations-rhone-alpes.fr';

const frDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date keeping the offset the fixture was written with (+01:00 / +02:00). */
function rfc822Date(iso: string): string {
  const m = /([+-])(\d\d):(\d\d)$/.exec(iso);
  const offMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(Date.parse(iso) + offMin * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const off = `${offMin < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offMin) / 60))}${two(Math.abs(offMin) % 60)}`;
  return `${DAYS[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${off}`;
}

/** The words a buyer writes for each fixture signal (the readers must find them again). */
function signalText(signal: string): string {
  if (/^marked /i.test(signal)) return signal.replace(/^marked /i, '');
  return signal;
}

function slug(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
}

function ediDocument(o: DedupOrder, md: MasterData, control: number): GeneratedDocument {
  const c = md.customer(o.order.customer.id ?? '');
  if (!c?.x12Id) throw new Error(`${o.orderId}: customer ${o.order.customer.id} has no X12 ID in customers.csv, cannot write its EDI order`);
  const s = o.order.shipTo;
  const out: OutgoingOrder = {
    poNumber: o.order.poNumber ?? '',
    purpose: o.order.purpose,
    orderDate: o.order.orderDate,
    requestedDeliveryDate: o.order.requestedDeliveryDate,
    currency: 'EUR',
    buyerGln: c.edifactGln ?? null,
    shipTo: s.postalCode || s.gln ? { gln: s.gln, name: s.name, street: s.street, postalCode: s.postalCode, city: s.city, country: s.country } : null,
    lines: o.order.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, customerPartNumber: null, ean: null, description: l.description, quantity: l.quantity ?? 0, unitPrice: l.unitPrice })),
  };
  const text = writeX12(
    { senderQualifier: 'ZZ', senderId: c.x12Id, receiverQualifier: 'ZZ', receiverId: OUR_X12_ID, version: '00401', controlNumber: control, now: new Date(o.receivedAt), test: false, lineBreak: '\n' },
    [{ functionalId: 'PO', transactions: [{ type: '850', segments: x12OrderSegments(out) }] }],
  );
  return { bytes: Buffer.from(text, 'latin1'), fileName: `${slug(o.orderId)}-${control}.edi`, channel: o.channel, receivedAt: o.receivedAt, form: 'X12 850 (parsers/edi/writer.ts)' };
}

function apiDocument(o: DedupOrder): GeneratedDocument {
  if (!o.order.customer.id || !o.order.poNumber) throw new Error(`${o.orderId}: an API order needs a customer and a PO number`);
  const body = {
    customerId: o.order.customer.id,
    poNumber: o.order.poNumber,
    ...(o.order.orderDate ? { orderDate: o.order.orderDate } : {}),
    ...(o.order.requestedDeliveryDate ? { requestedDeliveryDate: o.order.requestedDeliveryDate } : {}),
    purpose: o.order.purpose,
    ...(o.order.shipTo.code ? { shipTo: { code: o.order.shipTo.code } } : o.order.shipTo.postalCode ? { shipTo: { postalCode: o.order.shipTo.postalCode, city: o.order.shipTo.city ?? undefined, country: 'FR' } } : {}),
    lines: o.order.lines.map((l) => ({ sku: l.sku!, quantity: l.quantity!, ...(l.unitPrice !== null ? { unitPrice: l.unitPrice } : {}) })),
  };
  return { bytes: Buffer.from(JSON.stringify(body, null, 2)), fileName: `${slug(o.orderId)}.order.json`, channel: o.channel, receivedAt: o.receivedAt, form: 'order.json (parsers/api-order.ts)' };
}

function emailDocument(o: DedupOrder, md: MasterData, n: number, pdf?: Buffer): GeneratedDocument {
  const c = o.order.customer.id ? md.customer(o.order.customer.id) : undefined;
  // An unidentified sender: a personal mailbox the master data cannot tie to a customer.
  const domain = c?.emailDomains[0] ?? 'orange.fr';
  const from = c ? `${c.name} - Achats <achats@${domain}>` : `Jean Perrin <jean.perrin.72@${domain}>`;
  const po = o.order.poNumber;
  const signals = o.order.provenance.signals.map(signalText);
  const purpose = o.order.purpose;
  const subject = [
    ...signals.filter((s) => /^(COPIE|DUPLICATA)/i.test(s)),
    purpose === 'replace' ? (signals.some((s) => /modifi/i.test(s)) ? 'Commande modifiée' : 'ANNULE ET REMPLACE - Commande') : purpose === 'cancel' ? 'Annulation de commande' : 'Commande',
    po ?? '',
  ].filter(Boolean).join(' ');

  const body: string[] = ['Bonjour,', ''];
  for (const s of signals) body.push(s);
  if (signals.length) body.push('');
  if (purpose === 'replace') body.push(signals.some((s) => /modifi/i.test(s)) ? 'Voici notre commande modifiée (quantités mises à jour).' : `Cette commande annule et remplace notre commande${po ? ` ${po}` : ''}.`);
  else if (purpose === 'cancel') body.push(`Merci d'annuler notre commande${po ? ` ${po}` : ''}. Elle n'est plus à livrer.`);
  else body.push(pdf ? 'Veuillez trouver ci-joint notre commande.' : 'Veuillez trouver ci-dessous notre commande.');
  body.push('');
  if (pdf) return attachPdf(o, from, subject, domain, n, [...body, 'Cordialement,', 'Service achats', ...(c ? [c.name] : [])], pdf);
  if (po) body.push(`N° de commande : ${po}`);
  if (o.order.orderDate) body.push(`Date de commande : ${frDate(o.order.orderDate)}`);
  if (o.order.requestedDeliveryDate) body.push(`Date de livraison souhaitée : ${frDate(o.order.requestedDeliveryDate)}`);
  if (o.order.lines.length) {
    const priced = o.order.lines.some((l) => l.unitPrice !== null);
    const row = (cells: string[]) => cells.map((x, i) => (i === cells.length - 1 ? x : x.padEnd([15, 42, 8, 8][i]!))).join('').trimEnd();
    body.push('');
    body.push(row(['Code article', 'Désignation', 'Qté', 'Unité', ...(priced ? ['P.U. HT'] : [])]));
    for (const l of o.order.lines) {
      const p = l.sku ? md.product(l.sku) : undefined;
      body.push(row([l.sku ?? '', (p?.description ?? l.description ?? '').slice(0, 40), String(l.quantity).padStart(4), p?.unit ?? 'U', ...(priced ? [l.unitPrice !== null ? l.unitPrice.toFixed(2).replace('.', ',') : ''] : [])]));
    }
  }
  const s = o.order.shipTo;
  if (s.postalCode) {
    body.push('', 'Livrer à :');
    if (s.name) body.push(s.name);
    if (s.street) body.push(s.street);
    body.push(`${s.postalCode} ${s.city ?? ''}`.trim());
  }
  body.push('', 'Cordialement,', 'Service achats', ...(c ? [c.name] : []));

  const form = o.channel === 'email' ? `text e-mail${o.order.provenance.parser === 'pdf-text' ? ' (standing for its PDF attachment)' : ''}` : `text e-mail standing for a ${o.channel}`;
  const msg = [
    `From: ${from}`,
    `To: ${OUR_MAILBOX}`,
    `Subject: ${subject}`,
    `Date: ${rfc822Date(o.receivedAt)}`,
    `Message-ID: <bench-${n}-${slug(o.orderId)}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...body,
    '',
  ].join('\r\n');
  return { bytes: Buffer.from(msg, 'utf8'), fileName: `${slug(o.orderId)}-${n}.eml`, channel: o.channel, receivedAt: o.receivedAt, form };
}

function attachPdf(o: DedupOrder, from: string, subject: string, domain: string, n: number, body: string[], pdf: Buffer): GeneratedDocument {
  const boundary = `=_bench_${n}`;
  const b64 = pdf.toString('base64').replace(/.{76}/g, '$&\r\n');
  const msg = [
    `From: ${from}`, `To: ${OUR_MAILBOX}`, `Subject: ${subject}`, `Date: ${rfc822Date(o.receivedAt)}`, `Message-ID: <bench-${n}-${slug(o.orderId)}@${domain}>`, 'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 8bit', '', ...body, '',
    `--${boundary}`, `Content-Type: application/pdf; name="commande-${slug(o.order.poNumber ?? o.orderId)}.pdf"`, `Content-Disposition: attachment; filename="commande-${slug(o.order.poNumber ?? o.orderId)}.pdf"`, 'Content-Transfer-Encoding: base64', '', b64, '',
    `--${boundary}--`, '',
  ].join('\r\n');
  return { bytes: Buffer.from(msg, 'utf8'), fileName: `${slug(o.orderId)}-${n}.eml`, channel: o.channel, receivedAt: o.receivedAt, form: 'e-mail with a PDF (fixtures/docgen/pdf.ts)' };
}

/** The order as the PDF generator's truth; null when the generator cannot print it (no PO or date). */
function pdfTruth(o: DedupOrder, md: MasterData): OrderTruth | null {
  const f = o.order;
  const s = f.shipTo;
  if (!f.customer.id || !f.poNumber || !f.orderDate || !s.postalCode || f.lines.some((l) => !l.sku || l.quantity === null)) return null;
  const lines = f.lines.map((l) => {
    const p = md.product(l.sku!)!;
    return { sku: p.sku, customerPartNumber: null, description: p.description, quantity: l.quantity!, unit: p.unit, unitPrice: l.unitPrice ?? p.listPrice ?? 0 };
  });
  return {
    id: o.orderId, layout: 'classic', language: 'fr', poNumber: f.poNumber, orderDate: f.orderDate, requestedDeliveryDate: f.requestedDeliveryDate, customerId: f.customer.id, evidence: 'vat',
    shipTo: { code: s.code ?? '', name: s.name ?? '', street: s.street ?? '', postalCode: s.postalCode, city: s.city ?? '', country: s.country ?? 'FR', usual: false },
    lines, totalHt: Math.round(lines.reduce((t, l) => t + l.quantity * l.unitPrice, 0) * 100) / 100,
  };
}

/**
 * The document for one fixture order; `n` keeps bytes and names unique across the run. Orders the
 * fixtures say were read from a PDF come as an e-mail with the generated PDF attached (the copy
 * marks in the e-mail's body), unless `pdf` is false or the generator cannot print them.
 */
export async function documentFor(o: DedupOrder, md: MasterData, n: number, opts: { pdf?: boolean } = {}): Promise<GeneratedDocument> {
  if (o.order.provenance.parser === 'edi') return ediDocument(o, md, 1000 + n);
  if (o.order.provenance.parser === 'api-json') return apiDocument(o);
  const truth = o.order.provenance.parser === 'pdf-text' && opts.pdf !== false ? pdfTruth(o, md) : null;
  if (truth) return emailDocument(o, md, n, (await renderOrderPdf(truth, md)).pdf);
  return emailDocument(o, md, n);
}
