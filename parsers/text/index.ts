// Shared understanding of order text (email bodies, PDF text, OCR'd faxes): one call that turns a
// text into a draft order, built from the finer readers that callers may also use one by one.
import type { MasterData } from '../../domain/masterdata';
import type { CustomerEvidence, DraftLine, DraftOrder } from '../../domain/resolve';
import { findCopySignals, findCurrency, findCustomerEvidence, findDeliveryDate, findOrderDate, findPoNumber, findPurpose, findShipTo, isWeakPoLabel, type EvidenceOptions, type ShipToText } from './header';
import { parseOrderLines } from './lines';
import { boundText } from '../caps';

export * from './numbers';
export * from './dates';
export * from './header';
export * from './lines';

export interface OrderTextOptions extends EvidenceOptions {
  /** Provenance parser name ('email-body', 'pdf-text', 'ocr'). */
  parser: string;
  location?: string | null;
  /** Date the document was received: settles two-digit and missing years. */
  ref?: Date;
  /** Evidence the channel already has (sender address, fax number): the text adds to it. */
  customer?: CustomerEvidence;
  /** Header text read separately (an email subject), searched before the body. */
  subject?: string;
  /** Extra provenance signals from the channel. */
  signals?: string[];
  /** Lines already read by the caller (an HTML table): used instead of reading the text's lines. */
  lines?: DraftLine[];
}

export interface OrderTextReading {
  draft: DraftOrder;
  /** What was read, for review and for deciding whether this text holds an order at all. */
  found: { poLabel: string | null; lines: number; shipTo: ShipToText | null; linesCut: number; textCut: boolean };
}

/**
 * Text → one draft order (the caller decides, from `found`, whether it is an order at all).
 * Channel evidence wins over evidence in the text, since a quoted signature may be anyone's.
 */
export function readOrderText(whole: string, md: MasterData, opts: OrderTextOptions): OrderTextReading {
  const { text, linesCut, textCut } = boundText(whole);
  const head = opts.subject ? `${opts.subject}\n${text}` : text;
  // A numbered label wins wherever it is; between equals, the subject (written for this order) wins.
  const inSubject = opts.subject ? findPoNumber(opts.subject) : null;
  const inText = findPoNumber(text);
  const po = inSubject && inText && isWeakPoLabel(inSubject.label) && !isWeakPoLabel(inText.label) ? inText : (inSubject ?? inText);
  const lines = opts.lines ?? parseOrderLines(text, md);
  const shipTo = findShipTo(text, md);
  const fromText = findCustomerEvidence(text, md, opts);
  const customer: CustomerEvidence = { ...fromText, ...stripEmpty(opts.customer ?? {}) };
  const signals = [...(opts.signals ?? []), ...findCopySignals(head)];
  const draft: DraftOrder = {
    poNumber: po?.value ?? null,
    orderDate: findOrderDate(text, opts.ref),
    requestedDeliveryDate: findDeliveryDate(head, opts.ref),
    purpose: findPurpose(head) ?? 'original',
    currency: findCurrency(text),
    customer,
    lines,
    confidence: lines.length ? Math.min(...lines.map((l) => l.confidence ?? 1)) : 1,
    provenance: { parser: opts.parser, location: opts.location ?? null, signals: [...new Set(signals)] },
  };
  if (shipTo) draft.shipTo = shipTo;
  return { draft, found: { poLabel: po?.label ?? null, lines: lines.length, shipTo, linesCut, textCut } };
}

function stripEmpty(ev: CustomerEvidence): CustomerEvidence {
  return Object.fromEntries(Object.entries(ev).filter(([, v]) => v)) as CustomerEvidence;
}
