// SAP IDoc ORDERS05 (XML) for an inbound sales order: the control record EDI_DC40, the header
// (E1EDK01 currency, E1EDK03 dates, E1EDKA1 partners AG sold-to and WE ship-to, E1EDK02 the
// customer's PO) and one E1EDP01 per item with E1EDP19 material numbers (002 ours, 001 the customer's).
import type { SalesOrderDocument } from './document';

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
/** An IDoc field: trimmed to its SAP length, escaped; absent when empty. */
const f = (tag: string, v: string | number | null | undefined, max = 35) => (v === null || v === undefined || v === '' ? '' : `<${tag}>${esc(String(v).slice(0, max))}</${tag}>`);
const sapDate = (iso: string | null) => (iso ? iso.replaceAll('-', '') : null);

export function idocOrders05(doc: SalesOrderDocument, opts: { docnum: string; sender: string; receiver: string }): string {
  const created = doc.createdAt.replace(/\D/g, '');
  const seg = (name: string, body: string) => `    <${name} SEGMENT="1">${body}</${name}>\n`;
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n<ORDERS05>\n  <IDOC BEGIN="1">\n';
  x += seg('EDI_DC40', f('TABNAM', 'EDI_DC40') + f('DOCNUM', opts.docnum, 16) + f('DIRECT', '2') + f('IDOCTYP', 'ORDERS05') + f('MESTYP', 'ORDERS') + f('SNDPRT', 'LS') + f('SNDPRN', opts.sender, 10) + f('RCVPRT', 'LS') + f('RCVPRN', opts.receiver, 10) + f('CREDAT', created.slice(0, 8)) + f('CRETIM', created.slice(8, 14)));
  x += seg('E1EDK01', f('CURCY', doc.currency, 3) + f('BELNR', doc.key, 35));
  if (doc.orderDate) x += seg('E1EDK03', f('IDDAT', '012') + f('DATUM', sapDate(doc.orderDate)));
  if (doc.requestedDeliveryDate) x += seg('E1EDK03', f('IDDAT', '002') + f('DATUM', sapDate(doc.requestedDeliveryDate)));
  x += seg('E1EDKA1', f('PARVW', 'AG') + f('PARTN', doc.soldTo.customerId, 17) + f('NAME1', doc.soldTo.name));
  const s = doc.shipTo;
  x += seg('E1EDKA1', f('PARVW', 'WE') + f('PARTN', s.code, 17) + f('ILNNR', s.gln, 70) + f('NAME1', s.name) + f('STRAS', s.street) + f('PSTLZ', s.postalCode, 9) + f('ORT01', s.city) + f('LAND1', s.country, 3));
  x += seg('E1EDK02', f('QUALF', '001') + f('BELNR', doc.poNumber) + f('DATUM', sapDate(doc.orderDate)));
  for (const l of doc.lines) {
    const materials =
      `      <E1EDP19 SEGMENT="1">${f('QUALF', '002')}${f('IDTNR', l.sku)}${f('KTEXT', l.description, 70)}</E1EDP19>\n` +
      (l.customerPartNumber ? `      <E1EDP19 SEGMENT="1">${f('QUALF', '001')}${f('IDTNR', l.customerPartNumber)}</E1EDP19>\n` : '') +
      (l.ean ? `      <E1EDP19 SEGMENT="1">${f('QUALF', '003')}${f('IDTNR', l.ean)}</E1EDP19>\n` : '');
    x += `    <E1EDP01 SEGMENT="1">${f('POSEX', String(l.lineNumber * 10).padStart(6, '0'), 6)}${f('MENGE', l.quantity, 15)}${f('MENEE', l.unit, 3)}${f('VPREI', l.unitPrice, 15)}\n${materials}    </E1EDP01>\n`;
  }
  return `${x}  </IDOC>\n</ORDERS05>\n`;
}
