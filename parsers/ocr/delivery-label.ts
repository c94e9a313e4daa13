// A delivery-date label OCR garbled, or whose value it could not read: the header readers match
// labels exactly ("Date Required", "Gewünschtes Wareneingangsdatum"), so a fax's "Datc Required:"
// or a label glued to its date ("Wareneingangàdétam") hid the field, and nothing said a delivery
// date was printed. Here the label is known by its words alone: its date is read when one follows
// (flagged, the label being unsure), otherwise the field is flagged as printed but unread.
import { findDates } from '../text/dates';
import type { TextLine } from '../layout/types';

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');

// Words that name a delivery date by themselves (folded, as prefixes).
const DATE_LABELS = ['wareneingangsdatum', 'lieferdatum', 'liefertermin', 'lieferdat', 'leverdatum', 'leverdat', 'wunschtermin', 'required', 'requested', 'needby', 'delai'];
// Words of delivery that name a date only beside a word of date or wish ("Date de livraison", "Gewünschtes Wareneingangs…").
const DELIVERY_WORDS = ['livraison', 'delivery', 'liefer', 'wareneingang', 'consegna', 'entrega', 'levering', 'receipt'];
const DATE_WORDS = ['date', 'datum', 'data', 'fecha', 'termin', 'souhait', 'demande', 'prevue', 'gewunscht', 'wunsch', 'richiesta', 'solicitada', 'deseada', 'expected', 'promised', 'gewenst'];
// Beside a delivery word, these make it an address, a charge or terms, not a date.
const NOT_DATE = ['adress', 'adres', 'anschrift', 'lieu', 'indirizzo', 'direccion', 'frais', 'condition', 'terms', 'mode', 'bedingung', 'kosten', 'bon', 'schein', 'lieferant', 'note', 'instruction', 'contact', 'via', 'paiement', 'payment', 'zahlung'];
// A label word as printed in full: alone at the end of a line, its value may stand below it.
const WHOLE = new Set([...DATE_LABELS, ...DELIVERY_WORDS, 'livraisonsouhaitee', 'lieferung']);

const starts = (w: string, stems: readonly string[]) => stems.some((s) => w.startsWith(s));

export interface DeliveryLabel {
  /** The label's words as OCR read them. */
  label: string;
  /** The date read after it, when one was. */
  date: { iso: string; text: string } | null;
}

/** The label a line's word starts, or -1: the word's index and its window of label words. */
function labelAt(folded: string[]): number {
  for (let i = 0; i < folded.length; i++) {
    const w = folded[i]!;
    const window = folded.slice(Math.max(0, i - 2), i + 2);
    if (window.some((x) => starts(x, NOT_DATE) && !starts(x, DATE_LABELS))) continue;
    if (starts(w, DATE_LABELS)) return i;
    if (starts(w, DELIVERY_WORDS) && window.some((x) => x !== w && starts(x, DATE_WORDS))) return i;
  }
  return -1;
}

/**
 * The first line outside the table that prints a delivery-date label the header readers could not
 * use: with the date read after it (within the label's block: no wide gap before it), or with none
 * when the value is unreadable (text after the label that holds no date, or the label glued to
 * garbage). A label alone at a line's end, spelt in full, is left to the readers (its value may be below).
 */
export function unreadDeliveryLabel(lines: TextLine[], ref?: Date): DeliveryLabel | null {
  for (const line of lines) {
    const words = line.words;
    const i = labelAt(words.map((w) => fold(w.text)));
    if (i < 0) continue;
    const h = Math.max(1, words.map((w) => w.y1 - w.y0).sort((a, b) => a - b)[words.length >> 1]!);
    const after = [];
    for (let k = i + 1; k < words.length && words[k]!.x0 - words[k - 1]!.x1 <= 8 * h; k++) after.push(words[k]!);
    const label = words.slice(Math.max(0, i - 2), i + 1).map((w) => w.text).join(' ');
    const value = after.map((w) => w.text).join(' ');
    const date = findDates(value, ref).find((d) => d.index <= 12);
    if (date) return { label, date: { iso: date.iso, text: value.slice(date.index, date.index + date.length) } };
    const own = fold(words[i]!.text);
    if (after.length > 0 || !WHOLE.has(own)) return { label: after.length ? `${label} ${value}` : label, date: null };
  }
  return null;
}
