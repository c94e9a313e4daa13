// A delivery-date label OCR garbled, or whose value it could not read: the header readers match
// labels exactly ("Date Required", "Gewünschtes Wareneingangsdatum"), so a fax's "Datc Required:"
// or a label glued to its date ("Wareneingangàdétam") hid the field, and nothing said a delivery
// date was printed. Here the label is known by its words alone: its date is read when one follows
// (flagged, the label being unsure), otherwise the field is flagged as printed but unread.
import { editDistance } from '../../domain/names';
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
// A long delivery word with one letter OCR misread ("Wareneingant" for "Wareneingang…"): eight
// letters and more, one substitution within the stem. Short stems stay exact (too many words are one
// letter from them).
const startsLoosely = (w: string, stems: readonly string[]) => starts(w, stems) || stems.some((s) => s.length >= 8 && w.length >= s.length && editDistance(w.slice(0, s.length), s) <= 1);

export interface DeliveryLabel {
  /** The label's words as OCR read them. */
  label: string;
  /** The date read after it, when one was; `garbled` says how OCR misread it (lost dots, a year's digit). */
  date: { iso: string; text: string; garbled?: string } | null;
}

/**
 * A date OCR read as one run of digits, its dots lost ("23107026": 23.10.7026), its year maybe off
 * by one misread digit (a fax's "2" read as "7"): day and month must be valid, and the year the
 * reference's year or the next, as printed or one digit away. Null otherwise (another number).
 */
export function dateWithoutDots(text: string, ref: Date | undefined): { iso: string; garbled: string } | null {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text.replace(/[.,:;]$/, ''));
  if (!m || !ref) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), m[3]!];
  if (day < 1 || day > 31 || month < 1 || month > 12) return null;
  const years = [ref.getUTCFullYear(), ref.getUTCFullYear() + 1].map(String);
  const same = years.find((y) => y === year);
  const near = years.filter((y) => [...y].filter((c, i) => c !== year[i]).length === 1);
  const taken = same ?? (near.length === 1 ? near[0] : undefined);
  if (!taken) return null;
  const iso = `${taken}-${m[2]}-${m[1]}`;
  if (Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).getUTCDate() !== day) return null;
  return { iso, garbled: same ? 'its dots lost' : `its dots lost and its year read as ${year}` };
}

/** The label a line's word starts, or -1: the word's index and its window of label words. */
function labelAt(folded: string[]): number {
  for (let i = 0; i < folded.length; i++) {
    const w = folded[i]!;
    const window = folded.slice(Math.max(0, i - 2), i + 2);
    if (window.some((x) => starts(x, NOT_DATE) && !starts(x, DATE_LABELS))) continue;
    if (starts(w, DATE_LABELS)) return i;
    if (startsLoosely(w, DELIVERY_WORDS) && window.some((x) => x !== w && starts(x, DATE_WORDS))) return i;
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
    const glued = after[0] ? dateWithoutDots(after[0].text, ref) : null;
    if (glued) return { label, date: { iso: glued.iso, text: after[0]!.text, garbled: glued.garbled } };
    const own = fold(words[i]!.text);
    if (after.length > 0 || !WHOLE.has(own)) return { label: after.length ? `${label} ${value}` : label, date: null };
  }
  return null;
}
