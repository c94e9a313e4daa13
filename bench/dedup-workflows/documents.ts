// Turns a dedup fixture order (bench/dedup-fixtures.ts) into the real document its channel would
// carry, so that the workflows benchmark goes through the real readers rather than handing them
// ready-made orders: EDI X12 850 through the project's writer, *.order.json for the API, an e-mail
// carrying a PDF from fixtures/docgen/pdf.ts for orders read from a PDF, a fax TIFF from
// fixtures/docgen/fax.ts (1-bit G4, skew, speckle, the sending machine's header) for faxes and
// scans, read by OCR, and a plain text e-mail (RFC 822) for the other e-mails.
// The misreads the fixtures encode in PO numbers (1I87, O455, 7712A5) are printed on the fax as
// written: they stand for what the sender's page or an earlier OCR made of them, and the dedup
// must see them whatever our OCR adds. With `fax: false` faxes and scans come as text e-mails
// standing for them (the benchmark's --fax-as-text), to tell OCR's part from the dedup's.
import type { DedupOrder } from '../../domain/dedup';
import type { MasterData } from '../../domain/masterdata';
import type { Channel } from '../../domain/order';
import { writeX12, x12OrderSegments, type OutgoingOrder } from '../../parsers/edi/writer';
import { renderOrderPdf } from '../../fixtures/docgen/pdf';
import { makeFax, type FaxOrderSpec } from '../../fixtures/docgen/fax';
import { rng, type OrderTruth } from '../../fixtures/docgen/orders';
import { describeDocument } from '../../parsers/index';

export interface GeneratedDocument {
  bytes: Buffer;
  fileName: string;
  channel: Channel;
  receivedAt: string;
  /** As the intake would describe the bytes (parsers/index.ts describeDocument). */
  mediaType: string;
  /** How the document was made ("x12-850", "order.json", "text e-mail standing for a fax"…). */
  form: string;
}

type Made = Omit<GeneratedDocument, 'mediaType'>;
const described = (d: Made): GeneratedDocument => ({ ...d, mediaType: describeDocument(d.bytes, { fileName: d.fileName, channel: d.channel, receivedAt: d.receivedAt }).mediaType });

const OUR_X12_ID = 'FIXRHONEALPES';
const OUR_MAILBOX = 'adv@fixations-rhone-alpes.fr';

const frDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** The wall-clock time the fixture was written in (its own offset, +01:00 / +02:00), as UTC fields. */
function localTime(iso: string): { local: Date; offMin: number } {
  const m = /([+-])(\d\d):(\d\d)$/.exec(iso);
  const offMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return { local: new Date(Date.parse(iso) + offMin * 60_000), offMin };
}

/** RFC 5322 date keeping the offset the fixture was written with (+01:00 / +02:00). */
function rfc822Date(iso: string): string {
  const { local, offMin } = localTime(iso);
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

function ediDocument(o: DedupOrder, md: MasterData, control: number): Made {
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

function apiDocument(o: DedupOrder): Made {
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

function emailDocument(o: DedupOrder, md: MasterData, n: number, pdf?: Buffer): Made {
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

function attachPdf(o: DedupOrder, from: string, subject: string, domain: string, n: number, body: string[], pdf: Buffer): Made {
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

/** A sender master data does not know (the fixtures' unknown customer): its own block, no VAT. */
const UNKNOWN_SENDER: FaxOrderSpec['customer'] = { name: 'Perrin Rénovation', street: '14 rue de la Paix', city: '72000 LE MANS', phone: '02 43 28 19 55', fax: '02 43 28 19 56', vat: '' };

/** "+33 4 78 12 34 56" as a French letterhead prints it ("04 78 12 34 56"); foreign numbers stay international. */
const printedPhone = (p: string): string => p.replace(/^\+33\s*/, '0');

/** Buyers abbreviate the pack ("Vis inox … 4x40 bte 200"); the catalogue's "(boîte de 200)" would not fit the column. */
const printedDescription = (d: string): string => d.replace(/(?<!\s)\s*\(boîte de (\d+)\)/, ' bte $1').replace(/(?<!\s)\s*\(lot de (\d+)\)/, ' lot $1');

/** What the buyer writes on the page for the order's purpose and copy marks. */
function faxMarks(o: DedupOrder): string[] {
  const signals = o.order.provenance.signals.map(signalText);
  const copies = signals.filter((x) => !/annule et remplace|modifi/i.test(x));
  const purpose = o.order.purpose === 'replace' ? [signals.some((x) => /modifi/i.test(x)) ? 'COMMANDE MODIFIÉE' : 'ANNULE ET REMPLACE'] : o.order.purpose === 'cancel' ? ['ANNULATION DE COMMANDE'] : [];
  return [...copies, ...purpose];
}

/**
 * A fax (or a scan) of the order as the customer's own "BON DE COMMANDE": the sender block from
 * master data, what the fixture knows and nothing else (no PO line, date or delivery block when
 * the fixture has none), moderate seeded noise: the benchmark measures the dedup, not OCR torture.
 */
async function faxDocument(o: DedupOrder, md: MasterData, n: number): Promise<Made> {
  const f = o.order;
  const c = f.customer.id ? md.customer(f.customer.id) : undefined;
  if (f.customer.id && !c) throw new Error(`${o.orderId}: customer ${f.customer.id} is not in customers.csv`);
  const billing = c ? md.addressesOf(c.id, 'billing')[0] : undefined;
  if (c && !billing) throw new Error(`${o.orderId}: customer ${c.id} has no billing address in addresses.csv, cannot print its letterhead`);
  const customer: FaxOrderSpec['customer'] = c
    ? { name: c.name, street: billing!.street, city: `${billing!.postalCode} ${billing!.city.toUpperCase()}`, phone: printedPhone(c.phone ?? ''), fax: c.fax ? printedPhone(c.fax) : '', vat: c.vatNumber ?? '' }
    : UNKNOWN_SENDER;
  const s = f.shipTo;
  const shipTo = s.postalCode ? [...(s.name ? [s.name] : []), ...(s.street ? [s.street] : []), `${s.postalCode} ${(s.city ?? '').toUpperCase()}`.trim()] : undefined;
  const lines = f.lines.map((l) => {
    const p = l.sku ? md.product(l.sku) : undefined;
    if (!p || l.quantity === null) throw new Error(`${o.orderId}: line ${l.lineNumber} has no known SKU or quantity, a fax cannot print it`);
    const unitPrice = l.unitPrice ?? p.listPrice;
    if (unitPrice === null) throw new Error(`${o.orderId}: ${p.sku} has no list price in products.csv and the fixture gives none`);
    return { reference: p.sku, description: printedDescription(p.description), quantity: l.quantity, unitPrice };
  });
  const spec: FaxOrderSpec = {
    customer,
    poLabel: 'N° de commande',
    ...(f.poNumber !== null ? { poNumber: f.poNumber } : {}),
    ...(f.orderDate ? { orderDate: frDate(f.orderDate) } : {}),
    ...(f.requestedDeliveryDate ? { deliveryDate: frDate(f.requestedDeliveryDate) } : {}),
    ...(shipTo ? { shipTo } : {}),
    lines,
    marks: faxMarks(o),
  };
  const { local } = localTime(o.receivedAt);
  const rand = rng(7919 * (n + 1));
  // The machine's station ID is whatever was programmed into it: the fax line, else the main line.
  const station = c ? (c.fax ?? c.phone ?? '') : `+33 ${UNKNOWN_SENDER.fax.slice(1)}`;
  const { tiff } = await makeFax(spec, {
    resolution: 'fine',
    skewDeg: Math.round((rand() - 0.5) * 1.2 * 100) / 100,
    speckle: 60 + Math.floor(rand() * 100),
    dropouts: Math.floor(rand() * 3),
    streaks: 0,
    seed: n + 1,
    coverPage: false,
    // A scanner prints no transmission line.
    header: o.channel === 'fax' ? { date: `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`, time: `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`, from: station, name: c?.name ?? customer.name } : null,
  });
  return { bytes: tiff, fileName: `${slug(o.orderId)}-${n}.tif`, channel: o.channel, receivedAt: o.receivedAt, form: `${o.channel} TIFF (fixtures/docgen/fax.ts), read by OCR` };
}

export interface DocumentOptions {
  /** false: orders read from a PDF come as text e-mails (the benchmark's --no-pdf). */
  pdf?: boolean;
  /** false: faxes and scans come as text e-mails standing for them (the benchmark's --fax-as-text). */
  fax?: boolean;
}

/**
 * The document for one fixture order; `n` keeps bytes and names unique across the run. Orders the
 * fixtures say were read from a PDF come as an e-mail with the generated PDF attached (the copy
 * marks in the e-mail's body), unless `pdf` is false or the generator cannot print them; orders
 * received by fax or scan come as a fax TIFF unless `fax` is false.
 */
export async function documentFor(o: DedupOrder, md: MasterData, n: number, opts: DocumentOptions = {}): Promise<GeneratedDocument> {
  if (o.order.provenance.parser === 'edi') return described(ediDocument(o, md, 1000 + n));
  if (o.order.provenance.parser === 'api-json') return described(apiDocument(o));
  if ((o.channel === 'fax' || o.channel === 'scan') && opts.fax !== false) return described(await faxDocument(o, md, n));
  const truth = o.order.provenance.parser === 'pdf-text' && opts.pdf !== false ? pdfTruth(o, md) : null;
  if (truth) return described(emailDocument(o, md, n, (await renderOrderPdf(truth, md)).pdf));
  return described(emailDocument(o, md, n));
}
