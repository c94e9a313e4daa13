// An article code OCR garbled past snapping ("CHV8B", "MASCFRP2", a buyer's "1600605120") or left
// between two articles ("GOU-MIO": GOU-M10 or BOU-M10), settled by what the line itself prints:
// the closest catalog entry, well ahead of any other, is taken when its designation names it or
// its price is that article's. Always below review: the code alone did not say it. Pure.
import type { MasterData } from '../../domain/masterdata';
import { matchDesignation, namesBetter, priceAgainstList } from '../../domain/line-evidence';
import type { ReferenceCandidate, SnappedReference } from './snap';

/** An article the code only came near to: an agent checks it. */
export const NEAR_CODE_CONFIDENCE = 0.6;
/** At most two real differences from the entry, a quarter of its length… */
const MAX_DISTANCE = 2;
const MAX_RELATIVE = 0.25;
/** …and the next other article at least three confusions further. */
const MARGIN = 0.75;

export interface NearCodeLine {
  /** The designation as read (sizes repaired). */
  description: string | undefined;
  unitPrice: number | null;
  /** quantity × unit price = amount printed. */
  amountAgrees: boolean;
}

export interface NearCode {
  candidate: ReferenceCandidate;
  doubt: string;
}

const fmt = (n: number) => String(n).replace('.', ',');

/** What on the line vouches for the article, or null; a designation naming another article vetoes it. */
export function lineVouchesFor(sku: string, line: NearCodeLine, md: MasterData): string | null {
  const product = md.product(sku);
  if (!product) return null;
  if (line.description) {
    const m = matchDesignation(line.description, sku, md);
    if (m.other && namesBetter(m.other.score, m.read)) return null;
    if (namesBetter(m.read, m.other?.score ?? 0)) return `the designation names it (${m.shared.join(', ')})`;
  }
  const list = product.listPrice;
  if (line.unitPrice === null || list === null || !(list > 0)) return null;
  if (Math.round(line.unitPrice * 100) === Math.round(list * 100)) return `the unit price ${fmt(line.unitPrice)} is its list price`;
  if (line.amountAgrees && priceAgainstList(line.unitPrice, list) === 'near') return `the unit price ${fmt(line.unitPrice)} is near its list price ${fmt(list)} and quantity × price = amount`;
  return null;
}

/** A code read far from every entry: the nearest, when close enough, alone, and vouched for by the line. */
export function nearestVouched(best: SnappedReference | undefined, read: string, line: NearCodeLine, md: MasterData): NearCode | null {
  const near = best?.nearest;
  if (!near) return null;
  const length = Math.max(3, near.candidate.value.replace(/\s/g, '').length);
  if (near.distance > MAX_DISTANCE || near.distance / length > MAX_RELATIVE || near.next < near.distance + MARGIN) return null;
  const why = lineVouchesFor(near.candidate.sku, line, md);
  if (!why) return null;
  const as = near.candidate.kind === 'customerPart' ? `${near.candidate.value} (${near.candidate.sku})` : near.candidate.value;
  return { candidate: near.candidate, doubt: `reference read as ${read}, nearest ${as}; ${why}: taken, unconfirmed` };
}

/**
 * A code between articles ("GOU-M10 or BOU-M10") whose printed price is near the list price of
 * exactly one of them and far from every other's (a negotiated price: not a list price, no proof).
 */
export function rivalByNearPrice(rivals: ReferenceCandidate[], read: string, line: NearCodeLine, md: MasterData): NearCode | null {
  const price = line.unitPrice;
  const skus = [...new Set(rivals.map((c) => c.sku))];
  if (price === null || !(price > 0) || skus.length < 2) return null;
  const stands = (sku: string) => priceAgainstList(price, md.product(sku)?.listPrice);
  const near = skus.filter((s) => stands(s) === 'near');
  const far = skus.filter((s) => stands(s) === 'far');
  if (near.length !== 1 || far.length !== skus.length - 1) return null;
  const chosen = rivals.find((c) => c.sku === near[0])!;
  return { candidate: chosen, doubt: `reference read as ${read}: ${skus.join(' or ')}; the unit price ${fmt(price)} is near the list price of ${chosen.sku} only: taken, unconfirmed` };
}
