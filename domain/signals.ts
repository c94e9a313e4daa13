// Provenance signals that the readers' resolution writes and the dedup and order state read. Apart from
// resolve.ts because workflow code reads them: every workflow evaluates the modules it imports when
// it starts, so what workflows import stays small.

/** Provenance signal: the document named no ship-to; the customer's usual delivery address was used. */
export const SHIP_TO_DEFAULTED = 'ship-to from master data (none in the document)';

/** Provenance signal (prefix): OCR read the PO number with low confidence; it proves nothing either way. */
export const PO_DOUBTFUL = 'PO number read with doubt';

/** Order evidence `prices` (rule): the document prints no price at all (no price column, no money anywhere): the ERP's price is the order's. */
export const NO_PRICE_PRINTED = 'no-price-printed';
/** Order evidence `prices` (rule): the document prints a price, or may: a line without one was not read right. */
export const PRICE_PRINTED = 'price-printed';

/** Ship-to evidence (rule): the document prints no delivery address and the customer has only one (flagged; a touchless policy may accept it). */
export const ONLY_DELIVERY_ADDRESS = 'no delivery address in the document: the customer has only one';

/** Header confidence once a field is flagged: below review, so an agent looks at it. */
export const FLAGGED_CONFIDENCE = 0.6;
