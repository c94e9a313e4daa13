// How long a PO number and a customer ID may be to go into an order's key. Apart from order.ts (and
// its zod schemas) because workflow code uses them: every workflow evaluates the modules it imports
// when it starts, so what workflows import stays small.

/**
 * The longest PO number we take (EDIFACT's an..35; X12 BEG03 allows 22). It goes into the order's
 * workflow ID: a longer one is not an order number but noise, flagged on the document (PO_TOO_LONG).
 */
export const MAX_PO_LENGTH = 35;
/** The longest customer ID we take into a key (customers.csv IDs are short codes such as C001). */
export const MAX_CUSTOMER_ID_LENGTH = 32;
/** The PO number is too long to be one. */
export const poTooLong = (po: string | null): boolean => !!po && po.trim().length > MAX_PO_LENGTH;
