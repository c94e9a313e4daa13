// Words placed on a page, the common ground between the PDF text reader (pdf.js items) and OCR
// (tesseract words): both feed parsers/layout/table.ts, which rebuilds the order table from them.

/** One word (or text run) on a page. Coordinates in any unit, y pointing down, (x0,y0) top-left. */
export interface PositionedWord {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** 0..1; absent for text PDFs (certain). OCR gives its own, so doubts survive into the cells. */
  confidence?: number;
  /** The engine's own line grouping (tesseract), preferred to raw y, which drifts on skewed rows. */
  lineId?: string;
}

export interface PageWords {
  /** 1-based page number, for "where" in problems. */
  page: number;
  words: PositionedWord[];
  width?: number;
  height?: number;
}

/** A physical line of text: words sorted left to right. */
export interface TextLine {
  page: number;
  words: PositionedWord[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Words joined with one space (two or more when the gap is wide, so columns stay visible). */
  text: string;
  confidence: number;
}

export const COLUMN_ROLES = [
  'lineNumber',
  'reference',
  'customerReference',
  'ean',
  'description',
  'quantity',
  'unit',
  'unitPrice',
  'discount',
  'amount',
  'other',
] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

export interface Column {
  role: ColumnRole;
  /** The header label as printed ("Prix unit. HT"). */
  label: string;
  x0: number;
  x1: number;
}

export interface TableCell {
  text: string;
  /** Minimum of its words' confidences; 1 for a text PDF. */
  confidence: number;
}

export interface TableRow {
  page: number;
  /** 1-based index among the table's rows, across pages. */
  index: number;
  y0: number;
  y1: number;
  /** Horizontal extent of the row's words (page units), for highlighting it on the page. */
  x0?: number;
  x1?: number;
  /** Cells by role; a column printed twice (rare) keeps the first. */
  cells: Partial<Record<ColumnRole, TableCell>>;
  /** How many physical lines the row spans (multi-line designations). */
  lineCount: number;
  /** The row as printed, for problems and review. */
  text: string;
}

export interface Table {
  columns: Column[];
  rows: TableRow[];
  /** Pages on which a header row was found. */
  headerPages: number[];
  /** Lines that closed the table: totals ("Total HT 1 234,00"), kept for the total check. */
  totalLines: TextLine[];
  /** Column roles taken from the cells' content rather than from a title read (why, one note each); absent when every role was read. */
  inferred?: string[];
  /** Each page's columns as its own header row placed them (a repeated header sits elsewhere on the next page); `columns` is the last page's. */
  pageColumns?: Record<number, Column[]>;
  /** Each page's cuts between its columns (cuts[i] between pageColumns[i] and [i + 1]), where the rows' words leave a gutter. */
  pageCuts?: Record<number, number[]>;
}
