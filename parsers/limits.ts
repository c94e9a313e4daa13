// How much of a document the readers take, in one place (issue #12: every outside input is bounded
// in size and time). Above a cap, the document is refused or the value cut, always with a problem
// saying what and where, never silently. Deadlines are enforced outside the readers, by
// activities/extract-runner.ts, which runs them in a child process it can kill.
export const LIMITS = {
  /** A document larger than this is not opened (DOCUMENT_TOO_LARGE): 64 MB holds a 500-page fax. */
  documentBytes: 64 * 1024 * 1024,
  /** Text readers read at most this much of a text (an email body, a PDF's text): 2 MB of characters. */
  textChars: 2 * 1024 * 1024,
  /** A line of text longer than this is cut to it (LINE_TOO_LONG); order lines are a few hundred characters. */
  lineChars: 4096,
  /** A PO number longer than this is refused (FIELD_TOO_LONG): EDIFACT allows 35, X12 BEG03 22. */
  poNumberChars: 35,
  /** Longer references (SKU, customer part number) are refused; longer descriptions are cut. */
  referenceChars: 64,
  descriptionChars: 512,
  /** Order lines kept per order (TOO_MANY_LINES beyond). */
  orderLines: 10_000,
  /** Orders kept per document (TOO_MANY_ORDERS beyond). */
  documentOrders: 10_000,
  /** Processor time a PDF may cost to read, per MB started (PDF_TOO_COMPLEX beyond): a sound order PDF needs a few tens of ms. */
  pdfCpuMsPerMb: 1500,
  /** Heap of the thread that parses a PDF (PDF_TOO_COMPLEX beyond). */
  pdfHeapMb: 512,
} as const;

/** Default deadlines of one document's extraction (overridable by environment, see the README). */
export const DEADLINES = {
  /** AIGUILLAGE_EXTRACT_DEADLINE_SECONDS: reading a document, OCR apart. */
  extractSeconds: 60,
  /** AIGUILLAGE_EXTRACT_OCR_PAGE_SECONDS: added to the deadline for each page sent to OCR. */
  ocrPageSeconds: 60,
  /** Never more than this in all: under the 10-minute net of the extract activity and its 15-minute start-to-close timeout. */
  maxSeconds: 540,
} as const;
