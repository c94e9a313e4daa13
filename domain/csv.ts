// A small RFC 4180 reader that remembers where each value came from, so that errors can say
// "customers.csv line 12, column email_domains".

export interface CsvRow {
  /** 1-based physical line where the record starts. */
  line: number;
  values: Record<string, string>;
}

export class CsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    message: string,
  ) {
    super(`${file}:${line}${column ? ` (column ${column})` : ''}: ${message}`);
    this.name = 'CsvError';
  }
}

export function parseCsv(text: string, file: string, requiredColumns: readonly string[]): CsvRow[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = splitRecords(text, file);
  const headerRecord = records.shift();
  if (!headerRecord) throw new CsvError(file, 1, null, `empty file; expected a header row: ${requiredColumns.join(',')}`);
  const header = headerRecord.fields.map((h) => h.trim().toLowerCase());
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new CsvError(file, 1, missing[0] ?? null, `missing column(s) ${missing.join(', ')}; header is "${header.join(',')}"`);
  }
  const rows: CsvRow[] = [];
  for (const rec of records) {
    if (rec.fields.length === 1 && rec.fields[0]!.trim() === '') continue; // blank line
    if (rec.fields.length !== header.length) {
      throw new CsvError(file, rec.line, null, `expected ${header.length} values, found ${rec.fields.length} (check for an unquoted comma)`);
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = rec.fields[i]!.trim()));
    rows.push({ line: rec.line, values });
  }
  return rows;
}

function splitRecords(text: string, file: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      inQuotes = true;
      field = '';
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (inQuotes) throw new CsvError(file, recordLine, null, 'a quoted value is never closed');
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    out.push({ line: recordLine, fields });
  }
  return out;
}

/** RFC 4180 out: a header row, then one record per row; fields with a comma, quote or line break are quoted. */
export function formatCsv(columns: readonly string[], rows: readonly Record<string, string | number | null | undefined>[]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
