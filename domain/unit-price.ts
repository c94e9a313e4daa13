// The unit price a sale carries, from what a line of an order prints (issues #13, #15): the NET price
// per unit of the ordered quantity. A price printed per 100 or per 1000 ("Prix/100", "Preis je 100 ST")
// is divided; a discount column ("Remise %", "Rabatt %", "Dto.") makes price × (1 − discount) the
// net price when the line's amount says so. Never a guess: a price is certain only when the amount
// (quantity × price = amount, to the rounding) or the column's own label says how to read it; any
// other reading is kept with a doubt that says why, so the line stays flagged for an agent (a line
// printing only its amount gets amount ÷ quantity, flagged).

export interface PrintedPrice {
  quantity: number | null;
  /** The price as printed in the unit-price cell. */
  price: number | null;
  /** The line's amount as printed, or null. */
  amount: number | null;
  /** The discount in per cent as printed (10 for "10,00 %"), or null when none is. */
  discount: number | null;
  /** The price column's label says per how many units it is (100 for "Prix/100"); 1 otherwise. */
  per: number;
}

export interface UnitPriceReading {
  unitPrice: number | null;
  /** Why the price is not certain; null when it is (or when nothing is printed). */
  doubt: string | null;
}

/** Quantity × price = amount, to the cent (or one in ten thousand on large amounts). */
export function amountMatches(quantity: number, unitPrice: number, amount: number): boolean {
  return Math.abs(quantity * unitPrice - amount) <= Math.max(0.011, Math.abs(amount) * 0.0001);
}

/** Four decimals at most: a per-100 price or a discounted one is carried to the hundredth of a cent. */
const round4 = (n: number): number => Math.round(n * 10000) / 10000;

/** "Prix/100", "Preis je 100 ST", "Price per 1000": per how many units a price column's label says its prices are (1: per unit). */
export function perUnitsOfLabel(label: string): number {
  const m = /(?:^|[^\d.,])(100|1000|1 000|1\.000)(?![\d.,])/u.exec(label);
  return m ? Number(m[1]!.replace(/[ .]/gu, '')) : 1;
}

/** The net unit price of a printed line, and the doubt left when nothing corroborates the reading. */
export function netUnitPrice(p: PrintedPrice): UnitPriceReading {
  if (p.price === null) {
    // Only the amount printed: amount ÷ quantity is what the buyer pays per unit, but nothing else
    // vouches that the column is the line's net amount (not with tax, not a total): kept, flagged.
    if (p.amount === null || p.quantity === null || p.quantity <= 0 || p.amount <= 0) return { unitPrice: null, doubt: null };
    return { unitPrice: round4(p.amount / p.quantity), doubt: `no unit price printed: amount ${p.amount} ÷ quantity ${p.quantity}, to be confirmed` };
  }
  const discount = p.discount !== null && p.discount > 0 && p.discount < 100 ? p.discount : null;
  // The readings, most likely first: as labelled, then net of the printed discount, then per 100 unlabelled.
  const labelled = p.price / p.per;
  const candidates: { price: number; how: string }[] = [{ price: labelled, how: p.per > 1 ? `the price per ${p.per} divided` : 'the price as printed' }];
  if (discount !== null) candidates.push({ price: labelled * (1 - discount / 100), how: `the price net of the ${discount} % discount` });
  if (p.per === 1) {
    candidates.push({ price: p.price / 100, how: 'the price read as per 100' });
    if (discount !== null) candidates.push({ price: (p.price / 100) * (1 - discount / 100), how: `the price read as per 100, net of the ${discount} % discount` });
  }
  if (p.quantity !== null && p.quantity > 0 && p.amount !== null) {
    const match = candidates.find((c) => amountMatches(p.quantity!, c.price, p.amount!) || amountMatches(p.quantity!, round4(c.price), p.amount!));
    if (!match) return { unitPrice: p.price, doubt: `quantity ${p.quantity} × unit price ${p.price} = ${Math.round(p.quantity * p.price * 100) / 100}, but the amount printed is ${p.amount}` };
    // The amount settles it; a per-100 reading no label announced stays flagged (the amount may round by chance).
    const unlabelled = p.per === 1 && match.price !== labelled && match.price !== labelled * (1 - (discount ?? 0) / 100);
    return { unitPrice: round4(match.price), doubt: unlabelled ? `${match.how}: the amount says so, but no label announces a price per 100` : null };
  }
  // No amount to check against: the labelled price is certain; a discount applied is not.
  if (discount !== null) return { unitPrice: round4(labelled * (1 - discount / 100)), doubt: `${candidates[1]!.how}, with no amount printed to confirm it` };
  return { unitPrice: round4(labelled), doubt: null };
}
