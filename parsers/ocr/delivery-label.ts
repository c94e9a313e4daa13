// A delivery-date label the page prints, whose date OCR could not read: a long label and its value
// run together in a small face ("Gewünschtes Wareneingangäd@taàn"), or the value garbled. The
// requested delivery date is then unknown, not absent: the field is flagged so that an agent reads
// it on the page, never left empty as if the order asked for none. Pure.

// The start of labels that name a delivery DATE (never the delivery address) in the languages the
// readers know, folded (no accents, lower case), as printed by the ERPs that use them.
const DELIVERY_DATE_STEMS = [
  'liefertermin',
  'lieferdatum',
  'wareneingang',
  'wunschtermin',
  'leverdatum',
  'date de livraison',
  'date livr',
  'livraison souhaitee',
  'livraison prevue',
  'delai de livraison',
  'delivery date',
  'requested delivery',
  'need by',
  'need-by',
  'due date',
  'fecha de entrega',
  'plazo de entrega',
  'data di consegna',
  'consegna richiesta',
];

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The first line (outside the table) that begins a delivery-date label and holds no date
 * `hasDate` can read; null when there is none.
 */
export function unreadDeliveryLabel(lines: string[], hasDate: (line: string) => boolean): string | null {
  for (const line of lines) {
    const f = fold(line);
    const at = DELIVERY_DATE_STEMS.map((s) => f.indexOf(s)).filter((i) => i >= 0 && (i === 0 || !/\p{L}/u.test(f[i - 1]!)));
    if (at.length && !hasDate(line)) return line.trim();
  }
  return null;
}
