// Order lines typed by people: aligned text tables, "- 12 x VIS-440" lists, "Réf : … / Qté : …"
// blocks, ";" or tab-separated pastes. Every reader runs and the one that explains the most lines
// wins, because a buyer's email rarely says which layout it uses. A token that master data knows
// (our SKU, a customer part number, an EAN) is the strongest sign of where the reference is.
import type { MasterData } from '../../domain/masterdata';
import type { DraftLine } from '../../domain/resolve';
import type { ColumnRole } from '../layout/types';
import { fold } from '../layout/table';
import { netUnitPrice, perUnitsOfLabel } from '../../domain/unit-price';
import { REFERENCE_IN_DESIGNATION, REFERENCE_IN_DESIGNATION_CONFIDENCE } from '../../domain/line-evidence';
import { CHARGE_FILLERS, CHARGE_WORDS, COLUMN_LABELS, OUR_ARTICLE_BEFORE, SHIP_TO_LABELS } from './labels';
import { guessLocale, normaliseUnit, parseNumber, parseQuantity, UNIT_WORD_SOURCE, type NumberLocale } from './numbers';
import { findDates } from './dates';

export type { ColumnRole };

// ------------------------------------------------------------------ column headers

const HEADER_WORDS: [RegExp, ColumnRole][] = [
  [/^(?:n[°ºo]\.?|#|pos\.?|position|ligne|line|l\.|item)$/iu, 'lineNumber'],
  // Written by the buyer: "notre réf." is the buyer's own code, "votre réf." is ours.
  [/^(?:r[ée]f(?:[ée]rence|\.)?\s*(?:client|cli\.?|acheteur|interne)|notre\s+r[ée]f|n\/\s*r[ée]f|our\s+(?:ref|part|item)|customer\s+(?:ref|part)|code\s+client|art(?:icle|\.)?\s+client|notre\s+code|buyer\s+(?:ref|part))/iu, 'customerReference'],
  [/^(?:votre\s+r[ée]f|v\/\s*r[ée]f|your\s+(?:ref|part|item)|supplier\s+(?:ref|part)|vendor\s+(?:ref|part))/iu, 'reference'],
  [/^(?:ean(?:\s*13)?|gtin|code[\s-]?barres?|gencod)(?![\p{L}\p{N}])/iu, 'ean'],
  [/^(?:d[ée]signations?|descriptions?|libell[ée]s?|produits?|products?|d[ée]tail|intitul[ée])(?![\p{L}\p{N}])/iu, 'description'],
  [/^(?:prix\s+total|montant|total|amount|mt\.?|line\s+total|ext(?:ended)?\.?\s*(?:price|amount)?|valeur)(?![\p{L}\p{N}])/iu, 'amount'],
  [/^(?:p\.?\s?u\.?|prix(?:\s+unit(?:aire|\.)?)?|unit\s*price|price|tarif|pu\s*ht|p\.?u\.?\s*ht|prix\s+net)(?![\p{L}\p{N}])/iu, 'unitPrice'],
  [/^(?:qt[ée]s?|quantit[ée]s?|qty|quantity|nb|nombre|qt[ée]\s*command[ée]e|colis)(?![\p{L}\p{N}])/iu, 'quantity'],
  [/^(?:unit[ée]s?|u\.?|uv|uom|unit|cond\.?|conditionnement)$/iu, 'unit'],
  [/^(?:r[ée]f(?:[ée]rence|\.)?|r[ée]fs|article|art\.?|code(?:\s+article)?|sku|item\s*(?:no|code|#)|part\s*(?:no|number|#)|product\s*(?:code|no)|r[ée]f\.?\s*(?:fournisseur|frs|fourn\.?)|code\s+produit)(?![\p{L}\p{N}])/iu, 'reference'],
];

/** "Prix unit. HT" → 'unitPrice'; "Désignation" → 'description'; an unknown label → null. */
export function classifyHeader(label: string): ColumnRole | null {
  const l = label.trim().replace(/\s+/g, ' ');
  if (!l) return null;
  for (const [re, role] of HEADER_WORDS) if (re.test(l)) return role;
  // The other languages' labels (labels.ts); short ones ("me", "ud") only in a table's own header.
  // "Remise %", "Preis CHF": the label with its per cent sign or currency.
  const f = fold(l).replace(/ (?:%|chf|eur|usd|gbp)$/u, '');
  if (f.length < 4) return null;
  for (const [role, words] of COLUMN_LABELS) if (words.includes(f)) return role as ColumnRole;
  return null;
}

// ------------------------------------------------------------------ references

interface Index {
  parts: Map<string, string>;
  /** Customers' part numbers printed with spaces ("PB 11.402"), upper-case. */
  spaced: string[];
}
const indexes = new WeakMap<MasterData, Index>();
function indexOf(md: MasterData): Index {
  let ix = indexes.get(md);
  if (!ix) {
    const spaced = [...new Set(md.crossReferences.map((x) => x.customerPartNumber.trim().toUpperCase()).filter((p) => /\s/.test(p)))];
    ix = { parts: new Map(md.crossReferences.map((x) => [compact(x.customerPartNumber), x.customerPartNumber])), spaced };
    indexes.set(md, ix);
  }
  return ix;
}

/**
 * A line with the spaces taken out of the customers' part numbers master data knows with spaces
 * ("10 st PB 11.402" → "10 st PB11.402"), so that the word-by-word readers see one reference
 * (classifyReference knows it either way).
 */
export function joinSpacedParts(line: string, md: MasterData | undefined): string {
  if (!md) return line;
  const { spaced } = indexOf(md);
  if (!spaced.length) return line;
  const up = line.toUpperCase();
  let out = line;
  for (const p of spaced) {
    const at = up.indexOf(p);
    if (at < 0) continue;
    // Whole words only: "APB 11.4020" is another reference.
    const before = up[at - 1] ?? ' ';
    const after = up[at + p.length] ?? ' ';
    if (/[A-Z0-9]/.test(before) || /[A-Z0-9]/.test(after)) continue;
    out = out.slice(0, at) + compact(out.slice(at, at + p.length)) + ' '.repeat(p.length - compact(p).length) + out.slice(at + p.length);
  }
  return out;
}
function compact(s: string): string {
  return s.toUpperCase().replace(/\s+/g, '');
}

const REF_SHAPE = /^(?=[A-Z0-9._/-]*\d)[A-Z0-9][A-Z0-9._/-]{1,30}[A-Z0-9]$|^[A-Z]{2,}-[A-Z0-9-]+$/i;

/** A token shaped like a product reference: letters and digits, no spaces, not a plain small number. */
export function looksLikeReference(token: string): boolean {
  const t = token.trim();
  if (!REF_SHAPE.test(t)) return false;
  if (/^\d{1,5}$/.test(t)) return false; // a quantity, not a reference
  if (parseNumber(t) !== null && !/^\d{6,}$/.test(t)) return false;
  if (findDates(t).length > 0) return false;
  if (/^\d+x\d+(?:x\d+)?$/i.test(t)) return false; // a dimension such as 4x40
  return true;
}

export interface ReferenceReading {
  sku?: string;
  customerPartNumber?: string;
  ean?: string;
  /** True when master data knows the token (or its snapped form). */
  known: boolean;
  doubt?: string;
}

// Characters that OCR and hurried typing swap; tried only when the token as written is unknown.
const LOOKALIKES: Record<string, string> = { O: '0', '0': 'O', I: '1', '1': 'I', L: '1', S: '5', '5': 'S', B: '8', '8': 'B', Z: '2', '2': 'Z' };

/**
 * What a reference token is: our SKU, a customer's part number, or an EAN (all from master data);
 * an unknown token is kept as written in `sku`, for resolve to report (never invented).
 */
export function classifyReference(token: string, md?: MasterData): ReferenceReading {
  const t = token.trim().replace(/^[([]|[)\].,;:]$/g, '');
  if (/^\d{8}$|^\d{12,14}$/.test(t)) {
    if (!md || md.productByEan(t)) return { ean: t, known: !!md };
    if (eanChecksumOk(t)) return { ean: t, known: false };
  }
  if (!md) return { sku: t, known: false };
  const own = md.product(t);
  if (own) return { sku: own.sku, known: true };
  const part = indexOf(md).parts.get(compact(t));
  if (part) return { customerPartNumber: part, known: true };
  const snapped = snap(t, md);
  if (snapped) return { sku: snapped, known: true, doubt: `reference read as ${t}, taken for ${snapped}` };
  return { sku: t, known: false };
}

function snap(t: string, md: MasterData): string | null {
  const up = t.toUpperCase();
  const hits = new Set<string>();
  for (let i = 0; i < up.length; i++) {
    const alt = LOOKALIKES[up[i] ?? ''];
    if (!alt) continue;
    const candidate = up.slice(0, i) + alt + up.slice(i + 1);
    const p = md.product(candidate);
    if (p) hits.add(p.sku);
  }
  return hits.size === 1 ? [...hits][0]! : null;
}

/**
 * A cell holding nothing but one code master data knows, read without doubt: a column of article
 * codes whatever its title says ("Product/Service", "Produit", "Product code" are read as designations),
 * never a designation that mentions a code among its words.
 */
export function codeAlone(text: string | undefined, md: MasterData | undefined): ReferenceReading | null {
  if (!text || !md) return null;
  const t = joinSpacedParts(text.trim(), md).trim();
  if (!t || /\s/u.test(t)) return null;
  const reading = classifyReference(t, md);
  return reading.known && !reading.doubt ? reading : null;
}

/** A GTIN (EAN-8, EAN-13…) whose check digit holds. */
export function eanChecksumOk(code: string): boolean {
  const digits = code.split('').map(Number);
  const check = digits.pop()!;
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

// ------------------------------------------------------------------ cells → draft line

export type Cells = Partial<Record<ColumnRole, string>>;

const TOTAL_ROW = /^\s*(?:sous[- ]?total|total|montant\s+(?:total|ht|ttc)|tva|t\.v\.a|frais\s+de\s+port|port\b|net\s+[àa]\s+payer|remise|escompte|eco[- ]?participation|subtotal|vat|shipping|grand\s+total)/i;

/** True for "Total HT", "TVA 20 %", "Frais de port": rows that close or sit under a table. */
export function isTotalRow(text: string): boolean {
  return TOTAL_ROW.test(text);
}

/** A designation that names a charge (freight, packing, delivery fee), not an article: every word a charge word or a filler, one at least a charge word. */
export function isChargeText(description: string): boolean {
  const words = description
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  return words.length > 0 && words.every((w) => CHARGE_WORDS.has(w) || CHARGE_FILLERS.has(w)) && words.some((w) => CHARGE_WORDS.has(w) && !CHARGE_FILLERS.has(w));
}

/**
 * Our article number printed inside a designation, often on a sub-line under it ("Uw artikelnummer:
 * VIS-440"), when the article column holds the buyer's own code our master data does not know.
 * `labelled`: the words before it say it is ours.
 */
export function ownCodeInDesignation(description: string | undefined, md: MasterData): { reading: ReferenceReading; labelled: boolean } | null {
  if (!description) return null;
  for (const m of description.matchAll(/[^\s,;()[\]]+/gu)) {
    const reading = classifyReference(m[0], md);
    if (reading.known && !reading.doubt && (reading.sku || reading.customerPartNumber)) return { reading, labelled: OUR_ARTICLE_BEFORE.test(description.slice(Math.max(0, m.index - 40), m.index)) };
  }
  return null;
}

/**
 * One row's cells (by column role) → a draft line, or null when the row holds neither a reference
 * nor a quantity (a blank, a sub-heading). Quantity × price is checked against the amount.
 */
export function draftLineFromCells(cells: Cells, md?: MasterData, opts: { lineNumber?: number; locale?: NumberLocale; pricePer?: number } = {}): DraftLine | null {
  const { lineNumber, locale = 'fr' } = opts;
  const doubts: string[] = [];
  let confidence = 1;
  const refCell = cells.reference?.trim() ?? '';
  const custCell = cells.customerReference?.trim() ?? '';
  let description = cells.description?.replace(/\s+/g, ' ').trim() || null;
  let reading: ReferenceReading | null = null;

  if (refCell) {
    const tokens = refCell.split(/\s+/);
    const first = tokens[0] ?? '';
    // "PB 11.402": a customer's part number printed with a space is one reference when master data knows it whole.
    const whole = tokens.length > 1 && md ? classifyReference(refCell, md) : null;
    reading = whole?.known && !whole.doubt ? whole : classifyReference(first, md);
    if (reading === whole) tokens.splice(0, tokens.length, refCell);
    if (!reading.known && !looksLikeReference(first)) {
      // "Livraison", "Cordialement" under the reference column: text, not an article.
      reading = null;
      description = [refCell, description].filter(Boolean).join(' ');
    } else if (tokens.length > 1 && !description) description = tokens.slice(1).join(' ');
  }
  let customerPartNumber: string | null = custCell ? custCell.split(/\s+/)[0] ?? null : null;
  let ean: string | null = null;
  const eanCell = cells.ean?.replace(/\s+/g, '') ?? '';
  if (/^\d{8,14}$/.test(eanCell)) ean = eanCell;

  if (!reading && description && md) {
    // No reference column: a known reference inside the designation ("Vis inox (VIS-440)").
    const found = description.split(/[\s,;()[\]]+/).map((t) => classifyReference(t, md)).find((r) => r.known);
    if (found) {
      reading = found;
      confidence = Math.min(confidence, REFERENCE_IN_DESIGNATION_CONFIDENCE);
      doubts.push(REFERENCE_IN_DESIGNATION);
    }
  }
  if (reading?.doubt) {
    doubts.push(reading.doubt);
    confidence = Math.min(confidence, 0.7);
  }
  if (reading?.customerPartNumber && !customerPartNumber) customerPartNumber = reading.customerPartNumber;
  if (reading?.ean && !ean) ean = reading.ean;
  const sku = reading?.sku ?? null;

  const q = parseQuantity(cells.quantity, locale);
  const rawQty = cells.quantity?.trim() ?? '';
  if (rawQty && !q) {
    doubts.push(`quantity "${rawQty}" could not be read`);
    confidence = Math.min(confidence, 0.5);
  }
  const unit = normaliseUnit(cells.unit) ?? q?.unit ?? null;
  const amount = parseNumber(cells.amount, locale);
  const price = netUnitPrice({ quantity: q?.value ?? null, price: parseNumber(cells.unitPrice, locale), amount, discount: parseNumber(cells.discount?.replace(/%/gu, ''), locale), per: opts.pricePer ?? 1 });
  const unitPrice = price.unitPrice;
  if (price.doubt) {
    doubts.push(price.doubt);
    confidence = Math.min(confidence, 0.8);
  }
  if (!sku && !customerPartNumber && !ean && !q) return null;
  if (!sku && !customerPartNumber && !ean && !description) return null;
  // Without a quantity, only a reference master data knows makes a line (else it is stray text).
  if (!q && !reading?.known && !ean) return null;
  const line: DraftLine = {
    sku,
    customerPartNumber,
    ean,
    description,
    quantity: q?.value ?? null,
    unit,
    unitPrice,
    amount,
    confidence,
    doubts,
  };
  if (lineNumber !== undefined) line.lineNumber = lineNumber;
  return line;
}

// ------------------------------------------------------------------ rows (cells already cut)

/**
 * Rows of cells (a delimited paste, an HTML table, cells cut by position in a PDF) → draft lines.
 * With no header, the first row that reads as one is used; failing that, roles are guessed from
 * the cells' content (a column of known references, a column of small whole numbers…).
 */
export function parseRows(rows: string[][], header?: (string | null)[], md?: MasterData, opts: { locale?: NumberLocale } = {}): DraftLine[] {
  const locale = opts.locale ?? guessLocale(rows.map((r) => r.join(' ')).join('\n'));
  const clean = rows.map((r) => r.map((c) => (c ?? '').replace(/\s+/g, ' ').trim())).filter((r) => r.some((c) => c));
  let roles: (ColumnRole | null)[] | null = header ? header.map((h) => (h ? (isRole(h) ? h : classifyHeader(h)) : null)) : null;
  let data = clean;
  let labels = header ?? [];
  if (!roles) {
    const hi = clean.findIndex((r) => isHeaderRow(r));
    if (hi >= 0) {
      roles = clean[hi]!.map(classifyHeader);
      labels = clean[hi]!;
      data = clean.slice(hi + 1);
    } else roles = inferRoles(clean, md);
  }
  const pricePer = perUnitsOfLabel(labels[roles.indexOf('unitPrice')] ?? '');
  const out: DraftLine[] = [];
  const codeColumn = !roles.some((r) => r === 'reference' || r === 'customerReference' || r === 'ean');
  for (const row of data) {
    const text = row.join(' ');
    if (isTotalRow(row.find((c) => c) ?? '')) break;
    if (isHeaderRow(row)) continue;
    const cells: Cells = {};
    row.forEach((c, i) => {
      const role = roles![i];
      if (!role || role === 'other' || !c) return;
      // No reference column: a "designation" cell that is one known code is the article's reference.
      if (role === 'description' && codeColumn && !cells.reference && codeAlone(c, md)) {
        cells.reference = c;
        return;
      }
      cells[role] = cells[role] ? `${cells[role]} ${c}` : c;
    });
    const line = draftLineFromCells(cells, md, { locale, pricePer });
    if (line) out.push(line);
    else if (out.length && cells.description && !cells.quantity && text.trim()) {
      // A designation that wrapped onto its own row belongs to the line above.
      const prev = out[out.length - 1]!;
      prev.description = prev.description ? `${prev.description} ${cells.description}` : cells.description;
    }
  }
  return numberLines(out);
}

function isRole(s: string): s is ColumnRole {
  return ['lineNumber', 'reference', 'customerReference', 'ean', 'description', 'quantity', 'unit', 'unitPrice', 'discount', 'amount', 'other'].includes(s);
}

function isHeaderRow(cells: string[]): boolean {
  const roles = cells.map(classifyHeader).filter((r): r is ColumnRole => r !== null);
  const distinct = new Set(roles);
  // Header cells are short labels; a data row that happens to start with "Article" is not one.
  const short = cells.filter((c) => c).every((c) => c.length <= 30 && parseNumber(c) === null);
  return short && distinct.size >= 2 && (distinct.has('quantity') || distinct.has('reference') || distinct.has('description'));
}

function inferRoles(rows: string[][], md?: MasterData): (ColumnRole | null)[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const col = (i: number) => rows.map((r) => r[i] ?? '').filter((c) => c);
  const share = (i: number, f: (c: string) => boolean) => {
    const cs = col(i);
    return cs.length ? cs.filter(f).length / cs.length : 0;
  };
  const roles: (ColumnRole | null)[] = new Array(width).fill(null);
  const free = (i: number) => roles[i] === null;
  const best = (f: (c: string) => boolean, min: number): number => {
    let bi = -1;
    let bs = min;
    for (let i = 0; i < width; i++) {
      if (!free(i)) continue;
      const s = share(i, f);
      if (s > bs) [bi, bs] = [i, s];
    }
    return bi;
  };
  const set = (i: number, r: ColumnRole) => {
    if (i >= 0) roles[i] = r;
  };
  set(best((c) => /^\d{13}$/.test(c.replace(/\s/g, '')), 0.6), 'ean');
  set(best((c) => (md ? classifyReference(c, md).known : false), 0.3), 'reference');
  if (!roles.includes('reference')) set(best((c) => looksLikeReference(c.split(' ')[0] ?? ''), 0.6), 'reference');
  set(best((c) => wordsApart(c) && parseNumber(c) === null, 0.5), 'description');
  set(best((c) => normaliseUnit(c) !== null && parseNumber(c) === null, 0.6), 'unit');
  // 1, 2, 3… (or SAP's 10, 20, 30…) in a column before the reference is the line number, not a quantity.
  const refAt = roles.indexOf('reference');
  for (let i = 0; i < (refAt < 0 ? 1 : refAt); i++) {
    const ns = rows.map((r) => (/^\d+$/.test(r[i] ?? '') ? Number(r[i]) : NaN));
    const step = (ns[1] ?? NaN) - (ns[0] ?? NaN);
    if (free(i) && ns.length > 1 && (step === 1 || step === 10) && ns.every((n, k) => n === ns[0]! + k * step)) roles[i] = 'lineNumber';
  }
  // Numbers left to right: quantity, then unit price, then amount (the usual order on a French order).
  const numeric: number[] = [];
  for (let i = 0; i < width; i++) if (free(i) && share(i, (c) => parseQuantity(c) !== null || parseNumber(c) !== null) >= 0.6) numeric.push(i);
  const integers = numeric.filter((i) => share(i, (c) => parseQuantity(c) !== null) >= 0.6);
  const q = integers[0] ?? numeric[0];
  if (q !== undefined) {
    roles[q] = 'quantity';
    const after = numeric.filter((i) => i !== q);
    if (after[0] !== undefined) roles[after[0]] = 'unitPrice';
    if (after[1] !== undefined) roles[after[after.length - 1]!] = 'amount';
  }
  return roles;
}

function numberLines(lines: DraftLine[]): DraftLine[] {
  return lines.map((l, i) => ({ ...l, lineNumber: l.lineNumber ?? i + 1 }));
}

// ------------------------------------------------------------------ readers of free text

const DELIMITERS = [';', '\t', '|'] as const;

function readDelimited(lines: string[], md: MasterData | undefined, locale: NumberLocale): DraftLine[] {
  let best: DraftLine[] = [];
  for (const d of DELIMITERS) {
    // Consecutive lines that each hold the delimiter form one pasted table.
    let block: string[][] = [];
    const blocks: string[][][] = [];
    for (const l of lines) {
      if (l.includes(d)) {
        let cells = l.split(d).map((c) => c.trim());
        if (d === '|') cells = cells.filter((c, i, a) => !(c === '' && (i === 0 || i === a.length - 1)));
        if (d === '|' && cells.every((c) => /^[-:= ]*$/.test(c))) continue; // a markdown rule
        block.push(cells);
      } else if (l.trim() === '' && block.length && d !== '\t') continue;
      else {
        if (block.length) blocks.push(block);
        block = [];
      }
    }
    if (block.length) blocks.push(block);
    const found = blocks.filter((b) => b.length >= 1 && b.some((r) => r.length >= 2)).flatMap((b) => parseRows(b, undefined, md, { locale }));
    if (score(found) > score(best)) best = found;
  }
  return best;
}

interface Chunk {
  text: string;
  start: number;
  end: number;
}

function chunks(line: string, minGap = 2): Chunk[] {
  const out: Chunk[] = [];
  const re = minGap === 1 ? /\S+/g : /\S+(?: \S+)*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

function readAligned(lines: string[], md: MasterData | undefined, locale: NumberLocale): DraftLine[] {
  const out: DraftLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = headerColumns(expandTabs(lines[i] ?? ''));
    if (!header) continue;
    const rows: { cells: Cells; line: DraftLine | null }[] = [];
    let blank = false;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const raw = expandTabs(lines[j] ?? '');
      if (/^[\s=_\-–—+|]*$/.test(raw)) {
        if (raw.trim() === '') {
          if (blank && rows.length) break; // two blank lines end the table
          blank = true;
        }
        continue;
      }
      if (isTotalRow(raw.trim()) || headerColumns(raw)) break;
      let cs = chunks(raw);
      if (cs.length === 1 && rows.length === 0) cs = chunks(raw, 1);
      const cells: Cells = {};
      for (const c of cs) {
        const role = nearestColumn(c, header);
        if (role && role !== 'other') cells[role] = cells[role] ? `${cells[role]} ${c.text}` : c.text;
      }
      const prev = rows[rows.length - 1];
      // Text alone under the designation, right below a row, is that row's designation going on.
      if (prev && !blank && Object.keys(cells).every((k) => k === 'description') && cells.description) {
        prev.cells.description = prev.cells.description ? `${prev.cells.description} ${cells.description}` : cells.description;
        prev.line = draftLineFromCells(prev.cells, md, { locale });
        continue;
      }
      const line = draftLineFromCells(cells, md, { locale });
      blank = false;
      // The first line that is not an article ends the table (a signature, "Livrer à :").
      if (!line) {
        if (rows.length) break;
        continue;
      }
      rows.push({ cells, line });
    }
    for (const r of rows) if (r.line) out.push(r.line);
    i = j - 1;
  }
  return numberLines(out);
}

function expandTabs(l: string): string {
  if (!l.includes('\t')) return l;
  let out = '';
  for (const ch of l) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

interface HeaderColumn {
  role: ColumnRole;
  start: number;
  end: number;
}

function headerColumns(line: string): HeaderColumn[] | null {
  if (/[;|]/.test(line)) return null;
  let cs = chunks(line).map((c) => ({ ...c, role: classifyHeader(c.text) }));
  if (cs.filter((c) => c.role).length < 2 || cs.some((c) => !c.role && c.text.length > 20)) {
    // Labels separated by single spaces: classify word by word, joining words that are not labels.
    const words = chunks(line, 1);
    cs = [];
    for (const w of words) {
      const role = classifyHeader(w.text);
      const last = cs[cs.length - 1];
      if (!role && last) Object.assign(last, { text: `${last.text} ${w.text}`, end: w.end });
      else cs.push({ ...w, role });
    }
  }
  const labelled = cs.filter((c) => c.role);
  const roles = new Set(labelled.map((c) => c.role));
  if (roles.size < 2 || !(roles.has('quantity') && (roles.has('reference') || roles.has('description') || roles.has('customerReference')))) return null;
  if (cs.length - labelled.length > labelled.length) return null; // a sentence that mentions "quantité"
  return cs.map((c) => ({ role: c.role ?? 'other', start: c.start, end: c.end }));
}

function nearestColumn(c: Chunk, cols: HeaderColumn[]): ColumnRole | null {
  let best: HeaderColumn | null = null;
  let bestScore = -Infinity;
  for (const col of cols) {
    const overlap = Math.min(c.end, col.end) - Math.max(c.start, col.start);
    // Overlap first; otherwise the label whose span is nearest (numbers are right-aligned, text left).
    const s = overlap > 0 ? overlap : overlap - 0.5;
    if (s > bestScore) [best, bestScore] = [col, s];
  }
  if (!best) return null;
  // A long text chunk overlapping several labels belongs to the one where it starts.
  if (bestScore > 0 && c.end - c.start > 2 * (best.end - best.start) + 10) {
    const startCol = [...cols].reverse().find((col) => col.start <= c.start + 1);
    if (startCol) return startCol.role;
  }
  return best.role;
}

/** A letter, a space, then a letter again: two words. By hand: `\p{L}.*\s.*\p{L}` backtracks on long cells. */
function wordsApart(cell: string): boolean {
  let seen = 0; // 1: a letter; 2: a letter then a space
  for (const c of cell) {
    if (seen === 0 && /\p{L}/u.test(c)) seen = 1;
    else if (seen === 1 && /\s/.test(c)) seen = 2;
    else if (seen === 2 && /\p{L}/u.test(c)) return true;
  }
  return false;
}

const BULLET = String.raw`^\s*(?:[-*•·–>+]|\d{1,3}[.)]\s)?\s*`;
// Never cut inside a number: "2900 x PAT-ANG" is 2900 of PAT-ANG, not 2 of "900".
const QTY = String.raw`(\d[\d\s.,]*?)(?!\d)`;
// Every unit word normaliseUnit knows ("boîtes", "KAR", "pai", "Stk.", "pz"), ended at a word's end ("p" never starts "pour").
const UNIT_WORD = String.raw`(${UNIT_WORD_SOURCE})(?![A-Za-zÀ-ÿ])`;
const UNIT = String.raw`(?:\s*${UNIT_WORD}\.?)?`;
const REF = String.raw`([A-Za-z0-9][A-Za-z0-9._/-]{1,30}[A-Za-z0-9])`;
// What buyers write before a reference: "Réf.", "Art.-Nr.", "Code", "Codice", "Código", "Item", "Part No."
const REF_WORD = String.raw`(?:(?:r[ée]f(?:[ée]rence)?|art(?:ikel)?(?:\.?-?\s?nr)?|code|codice|c[óo]digo|item|part\s?no|sku)\.?\s*:?\s*)?`;
// A number after a designation: thousands grouped by threes ("1 200", "1.200") but never two numbers
// ("pointure 42  1 Stk." is size 42, quantity 1).
const WHOLE_QTY = String.raw`(\d{1,3}(?:[ .,'’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)`;
// The quantity's label in each language: "qté", "qty", "Menge", "Anzahl", "cant.", "aantal", "Q.tà"
const QTY_WORD = String.raw`(?:qt[ée]s?|qty|quantit[ée]s?|quantity|quantit[àa]|q\.?\s?t[àa]|menge|anzahl|st[üu]ckzahl|cant(?:idad|\.)|aantal)`;
// These overlap on spaces, but readList only gives them lines of at most 160 characters:
// the worst line we could build takes a few milliseconds (test/unit/fuzz/hostile-text.test.ts).
const LIST_PATTERNS: RegExp[] = [
  // - 12 x VIS-440 vis inox 4x40 · 12 boîtes de VIS-440 · 5 CHV-6 · 12 KAR VIS-660
  new RegExp(`${BULLET}${QTY}${UNIT}\\s*(?:[x×*]|fois|de|d'|of)?\\s*${REF_WORD}${REF}(?:\\s*[-:–,]?\\s+(.*))?$`, 'i'),
  // VIS-440 x 12 · VIS-440 : 12 boîtes · VIS-440 qté 12 — vis inox
  // VIS-440 n. 10 confezioni · VIS-440 Menge 10 · VIS-440 cant. 10 (the other languages' quantity words)
  new RegExp(`${BULLET}${REF_WORD}${REF}\\s*(?:[x×*:=]|${QTY_WORD}\\s*:?|n\\.|nr\\.|-\\s+)\\s*${QTY}${UNIT}(?:\\s*[-:–,(]?\\s+(.*))?$`, 'i'),
  // VIS-440 vis inox 4x40 : 12 · VIS-440 Vis inox — qté 12 bte · Codice VIS-440 - Vite - Q.tà 12
  new RegExp(`${BULLET}${REF_WORD}${REF}\\s+(.*?)\\s*(?:\\s[x×*]|:|=|[-–,]?\\s*${QTY_WORD}\\s*:?)\\s*${QTY}${UNIT}\\s*\\.?$`, 'i'),
  // A unit word marks the quantity, no other sign needed: VIS-440  12 Stk. · VIS-440 – Schraube 4x40 – 5 Stück
  new RegExp(`${BULLET}${REF_WORD}${REF}(?:\\s+(.*?))?\\s*[-–:,]?\\s+${WHOLE_QTY}\\s*${UNIT_WORD}\\.?\\s*$`, 'i'),
  // Or stands before it: VIS-440 Vite 4x40 pz 12
  new RegExp(`${BULLET}${REF_WORD}${REF}(?:\\s+(.*?))?\\s*[-–:,]?\\s+${UNIT_WORD}\\.?\\s*${WHOLE_QTY}\\s*$`, 'i'),
];
/** Where each pattern puts quantity, unit, reference and designation. */
const LIST_GROUPS: [number, number, number, number][] = [
  [1, 2, 3, 4],
  [2, 3, 1, 4],
  [3, 4, 1, 2],
  [3, 4, 1, 2],
  [4, 3, 1, 2],
];

// A unit price typed at the end of a list line: "à 12,50 € pièce", "PU 12,50", "@ 3.02", "prix 4,20 € HT".
// Read word by word from the end of the line (no pattern over the whole line).
const PRICE_TAIL_WORDS = /^(?:pi[èe]ces?|pces?|pcs?|unit[ée]s?|each|ea|st[üu]ck|stk|la|le|par|per|the|\/|ht|net|€|eur|euros?|chf)\.?$/iu;
const PRICE_NUMBER = /^(€|eur|chf)?(\d{1,6}(?:[.,]\d{1,4})?)(€|eur|chf)?$/iu;
const PRICE_WORD = /^(?:@|p\.?u\.?|prix|price)$/iu;
const PRICE_PREPOSITION = /^(?:à|at|zu|je)$/iu;

/**
 * The unit price typed after an article, and the line without it. A price word ("PU", "prix", "@")
 * says it is one; after "à" or "at" it needs a currency or decimals ("à 12,50", "at €3"): "livrer à 14" is no price.
 */
export function typedLinePrice(line: string): { rest: string; price: string | null } {
  const words = [...line.matchAll(/\S+/gu)];
  let i = words.length - 1;
  let currency = false;
  for (; i >= 0 && PRICE_TAIL_WORDS.test(words[i]![0]); i--) if (/^(?:€|eur|euros?|chf)$/iu.test(words[i]![0])) currency = true;
  const n = i >= 0 ? PRICE_NUMBER.exec(words[i]![0].replace(/[,;]$/u, '')) : null;
  if (!n) return { rest: line, price: null };
  currency ||= !!(n[1] || n[3]);
  i--;
  if (i >= 0 && /^(?:€|eur|chf)$/iu.test(words[i]![0])) {
    currency = true;
    i--;
  }
  if (i >= 0 && words[i]![0] === ':') i--;
  const word = i >= 0 ? words[i]![0].replace(/:$/u, '') : '';
  // "PU HT 12,50", "prix unitaire 12,50", "unit price 3.02": the word before names the price too.
  const named = PRICE_WORD.test(word) || (/^(?:ht|unitaire)$/iu.test(word) && i > 0 && PRICE_WORD.test(words[i - 1]![0]));
  const byPreposition = PRICE_PREPOSITION.test(word) && (currency || /[.,]\d{2}$/u.test(n[2]!));
  if (!named && !byPreposition) return { rest: line, price: null };
  const first = /^(?:ht|unitaire)$/iu.test(word) ? i - 1 : i;
  const cutAt = words[first]!.index;
  let end = cutAt;
  while (end > 0 && ' \t,;–-'.includes(line[end - 1]!)) end--;
  return { rest: line.slice(0, end), price: n[2]! };
}

function readList(lines: string[], md: MasterData | undefined, locale: NumberLocale): DraftLine[] {
  const out: DraftLine[] = [];
  for (const raw of lines) {
    const whole = joinSpacedParts(raw.replace(/^[>\s]+/, ''), md);
    if (!whole.trim() || whole.length > 160) continue;
    const { rest: line, price } = typedLinePrice(whole);
    let got: DraftLine | null = null;
    for (const [pi, re] of LIST_PATTERNS.entries()) {
      const m = re.exec(line);
      if (!m) continue;
      const [qtyText, unitText, ref, desc] = LIST_GROUPS[pi]!.map((g) => m[g]);
      if (!ref || !looksLikeReference(ref)) continue;
      const reading = classifyReference(ref, md);
      // A line marked only by its unit word needs a reference master data knows, and a unit of two
      // letters or more before its number ("Boulon M 10" is a size).
      if (pi >= 3 && (!reading.known || (pi === 4 && (unitText ?? '').length < 2))) continue;
      // Without master data to vouch for it, a list line needs an explicit marker (x, qté, bullet).
      if (md && !reading.known && !/[x×*]|qt[ée]|quantit/i.test(line) && !/^\s*[-*•·–]/.test(line)) continue;
      const cells: Cells = { reference: ref, quantity: `${(qtyText ?? '').trim()} ${unitText ?? ''}`.trim() };
      if (desc?.trim()) cells.description = desc.replace(/^[-–:(]\s*|\)$/g, '').trim();
      if (price) cells.unitPrice = price;
      const read = draftLineFromCells(cells, md, { locale });
      if (!read || read.quantity === null) continue;
      // "CHA-INOX  1 Stk." is not "CHA-INO" × 1: a reading whose reference master data knows wins.
      if (reading.known || !md) {
        got = read;
        break;
      }
      got ??= read;
    }
    if (got) out.push(got);
  }
  return numberLines(out);
}

const BLOCK_KEY = String.raw`(r[ée]f(?:[ée]rence)?\.?(?:\s+(?:client|article|fournisseur))?|article|code(?:\s+article)?|sku|ean|d[ée]signation|description|libell[ée]|qt[ée]|quantit[ée]|qty|quantity|prix(?:\s+unitaire)?(?:\s+ht)?|p\.?u\.?(?:\s+ht)?|unit[ée]|montant|total)`;
// Only lines of at most 400 characters reach it (readBlocks).
// eslint-disable-next-line regexp/no-super-linear-backtracking
const BLOCK_PAIR = new RegExp(`${BLOCK_KEY}\\s*[:=]\\s*(.*?)(?=\\s*(?:[-,;/|•]\\s*)?${BLOCK_KEY}\\s*[:=]|$)`, 'giu');

function readBlocks(lines: string[], md: MasterData | undefined, locale: NumberLocale): DraftLine[] {
  const out: DraftLine[] = [];
  let cur: Cells = {};
  const flush = () => {
    const l = Object.keys(cur).length ? draftLineFromCells(cur, md, { locale }) : null;
    if (l) out.push(l);
    cur = {};
  };
  for (const raw of lines) {
    const line = raw.replace(/^[>\s]+/, '').replace(/^[-*•·–]\s*/, '');
    if (!line.trim() || line.length > 400) continue; // a paragraph, not a "Réf : …" field
    BLOCK_PAIR.lastIndex = 0;
    let any = false;
    for (let m = BLOCK_PAIR.exec(line); m; m = BLOCK_PAIR.exec(line)) {
      if (m.index !== 0 && !any) break; // keys must open the line (not "… le prix : …" in a sentence)
      const role = classifyHeader(m[1] ?? '');
      const value = (m[2] ?? '').trim();
      if (!role || !value) continue;
      any = true;
      // A second reference (or quantity) starts the next article.
      if ((role === 'reference' || role === 'customerReference' || role === 'quantity') && cur[role]) flush();
      cur[role] = value;
    }
    if (!any && (cur.reference || cur.quantity) && cur.quantity) flush();
  }
  flush();
  return numberLines(out);
}

// ------------------------------------------------------------------ prose

// "merci de nous livrer 10 boîtes de vis inox 4x40 et 5 VIS-450 pour lundi": a quantity, maybe a
// unit, maybe "de", then the article (a reference, or words of its designation) up to "et", a comma…
const PROSE_QTY = new RegExp(String.raw`(?<![\p{L}\p{N}.,/:+-])(\d{1,5})(?![\d/.:,h-])[ \t]*(?:(?:x|×)[ \t]*)?(?:(${UNIT_WORD_SOURCE})(?![\p{L}]))?\.?[ \t]*(?:de[ \t]+|d['’][ \t]*|of[ \t]+|x[ \t]+|×[ \t]*)?`, 'giu');
const PROSE_STOP_WORDS = new Set(['et', 'and', 'und', 'e', 'y', 'en', 'ainsi', 'plus', 'pour', 'for', 'für', 'fur', 'per', 'para', 'voor', 'avant', 'before', 'merci', 'svp', "s'il", '-', '+', '&']);

/** Where the article written after a quantity ends: a connecting word ("et", "and", "pour"…) or punctuation. */
function proseItemEnd(rest: string): number {
  for (const m of rest.matchAll(/\S+/g)) {
    const word = m[0].toLowerCase();
    if (PROSE_STOP_WORDS.has(word) || word.startsWith('livr')) return m.index;
    const p = word.search(/[,;!?(]|\.(?!\d)/);
    if (p >= 0) return m.index + p;
  }
  return rest.length;
}
const STOP_TOKENS = new Set(['les', 'des', 'pour', 'avec', 'sans', 'the', 'and', 'de', 'du', 'la', 'le', 'boite', 'boites', 'box', 'lot', 'unite', 'unites', 'piece', 'pieces', 'taille']);

function proseTokens(s: string): string[] {
  return fold(s).split(' ').filter((t) => (t.length >= 3 || /\d/.test(t)) && !STOP_TOKENS.has(t));
}

interface DescriptionIndex {
  products: { sku: string; tokens: Set<string> }[];
}
const descIndexes = new WeakMap<MasterData, DescriptionIndex>();

/** The one product whose designation holds the words written, or null when none or several do equally. */
export function productByDescription(words: string, md: MasterData): { sku: string; share: number } | null {
  let ix = descIndexes.get(md);
  if (!ix) {
    ix = { products: md.products.map((p) => ({ sku: p.sku, tokens: new Set(proseTokens(p.description)) })) };
    descIndexes.set(md, ix);
  }
  const want = proseTokens(words);
  if (want.length < 2) return null;
  // Sizes alone ("30", "4x40") name no product: a word of the designation must agree too.
  const scored = ix.products.map((p) => ({ sku: p.sku, hits: want.filter((t) => p.tokens.has(t)).length, words: want.some((t) => /\p{L}/u.test(t) && p.tokens.has(t)) })).sort((a, b) => b.hits - a.hits);
  const best = scored[0];
  if (!best || best.hits < 2 || !best.words || (scored[1] && scored[1].hits === best.hits)) return null;
  return { sku: best.sku, share: best.hits / want.length };
}

/**
 * An order written as a sentence. A reference master data knows is as good as a table cell; an
 * article named by its designation only is a guess, kept below the review threshold with its doubt.
 */
// A request to deliver, send or order, in the buyers' languages: what makes "10 sacs de ciment" an order line.
const ORDER_REQUEST = /(?<![\p{L}])(?:livr(?:er|ez)|envoy(?:er|ez)|faire\s+parvenir|exp[ée]dier|commander|deliver|send|supply|liefern|senden|schicken|bestellen|consegnare|inviar(?:e|ci)|enviar(?:nos)?|entregar|leveren|sturen)(?![\p{L}])/iu;

/** An article a person asked for that the catalog does not know: kept as written, for an agent to identify. */
function unrecognisedItem(text: string, at: number, item: string, quantity: number, unit: string | null): DraftLine | null {
  const sentence = text.slice(Math.max(0, at - 200), at).split(/[.!?\n]/).pop() ?? '';
  if (!ORDER_REQUEST.test(sentence)) return null;
  return { sku: null, customerPartNumber: null, ean: null, description: item, quantity, unit, unitPrice: null, confidence: 0.3, doubts: [`article not recognised: "${item}"`] };
}

function readProse(lines: string[], md: MasterData | undefined, opts: { typed?: boolean } = {}): DraftLine[] {
  if (!md) return [];
  const out: DraftLine[] = [];
  const text = lines.map((l) => joinSpacedParts(l.replace(/^[>\s]+/, ''), md)).join('\n');
  if (text.length > 20_000) return [];
  PROSE_QTY.lastIndex = 0;
  for (let m = PROSE_QTY.exec(text); m; m = PROSE_QTY.exec(text)) {
    const rest = text.slice(m.index + m[0].length, m.index + m[0].length + 80).split('\n')[0]!;
    const item = rest.slice(0, proseItemEnd(rest)).trim();
    if (!item || item.length > 70) continue;
    const quantity = Number(m[1]);
    if (!(quantity > 0)) continue;
    const unit = normaliseUnit(m[2]);
    const tokens = item.split(/[\s,;()]+/).filter(Boolean);
    // An article is named by letters or is one code master data knows ("100004711"): "4 77 21 30 30" is the rest of a phone number.
    if (!/\p{L}/u.test(item) && !(tokens.length === 1 && classifyReference(tokens[0]!, md).known)) continue;
    const known = tokens.map((t) => classifyReference(t, md)).find((r) => r.known);
    if (known) {
      out.push({ sku: known.sku ?? null, customerPartNumber: known.customerPartNumber ?? null, ean: known.ean ?? null, description: null, quantity, unit, unitPrice: null, confidence: known.doubt ? 0.7 : 1, doubts: known.doubt ? [known.doubt] : [] });
      continue;
    }
    const byDesc = productByDescription(item, md);
    if (byDesc) out.push({ sku: byDesc.sku, customerPartNumber: null, ean: null, description: item, quantity, unit, unitPrice: null, confidence: 0.6, doubts: [`article recognised by its designation only ("${item}")`] });
    else if (opts.typed) {
      const unknown = unrecognisedItem(text, m.index, item, quantity, unit);
      if (unknown) out.push(unknown);
    }
  }
  return numberLines(out);
}

function score(lines: DraftLine[]): number {
  return lines.reduce((s, l) => s + (l.quantity !== null ? 1 + (l.sku || l.customerPartNumber || l.ean ? 1 : 0) : 0) * (l.confidence ?? 1), 0);
}

/**
 * Order lines of text lines. The reader (delimited, aligned table, blocks, list) whose lines carry
 * the most references and quantities wins; ties go to the more structured layout.
 */
function parseLines(lines: string[], md: MasterData | undefined, opts: LineReadingOptions): DraftLine[] {
  const text = lines.join('\n');
  const locale = opts.locale ?? guessLocale(text);
  const candidates = [readDelimited(lines, md, locale), readAligned(lines, md, locale), readBlocks(lines, md, locale), readList(lines, md, locale)];
  let best: DraftLine[] = [];
  for (const c of candidates) if (score(c) > score(best)) best = c;
  // A buyer mixes ways of writing ("Ref. X - 341 uds." then "2900 x Y"): each line read on its own
  // explains more lines then. Blocks over several lines ("Réf : …" / "Qté : …") never do.
  if (lines.length > 1 && lines.length <= 400) {
    const byLine = lines.flatMap((l) => {
      const one = [readDelimited([l], md, locale), readAligned([l], md, locale), readBlocks([l], md, locale), readList([l], md, locale)];
      return one.reduce((a, c) => (score(c) > score(a) ? c : a), [] as DraftLine[]);
    });
    if (byLine.length > best.length && score(byLine) > score(best)) best = numberLines(byLine.map((l) => ({ ...l, lineNumber: undefined })));
    else if (md && best.length) {
      // Or one line the winning reader left aside holds a product master data knows and a quantity.
      const key = (l: DraftLine) => l.sku ?? l.customerPartNumber ?? l.ean ?? '';
      const have = new Set(best.map(key));
      const extra = byLine.filter((l) => l.quantity !== null && !have.has(key(l)) && ((l.sku && md.product(l.sku)) || (l.ean && md.productByEan(l.ean))));
      if (extra.length) best = numberLines([...best, ...extra].map((l) => ({ ...l, lineNumber: undefined })));
    }
  }
  // A sentence is the last resort: any table or list the text holds says more.
  return best.length ? best : readProse(lines, md, opts);
}

/** The product a reference designates (our SKU; a part number or an EAN by what it maps to), for counting products on a line. */
function productKey(token: string, md: MasterData): string | null {
  const r = classifyReference(token, md);
  if (!r.known || r.doubt) return null;
  if (r.ean) return md.productByEan(r.ean)?.sku ?? r.ean;
  if (r.customerPartNumber) return md.crossReferences.find((x) => x.customerPartNumber === r.customerPartNumber)?.sku ?? r.customerPartNumber;
  return r.sku ?? null;
}

/**
 * A line naming two products or more one after another ("2 cartons VIS-440, 5 CHV-6 et 1
 * FOR-COF"), not a table row (no tab, no wide gap, no delimiter): a sentence of items.
 */
function isItemRun(line: string, md: MasterData): boolean {
  if (line.length > 400 || /\t|[;|]| {3}/.test(line)) return false;
  const products = new Set(joinSpacedParts(line, md).split(/[\s,;:()[\]+]+/).map((t) => (t ? productKey(t, md) : null)).filter(Boolean));
  return products.size >= 2;
}

export interface LineReadingOptions {
  locale?: NumberLocale;
  /**
   * Typed by a person (an e-mail body): an article asked for in a sentence ("merci de nous livrer
   * 10 sacs de ciment") that the catalog does not know is still an order line, kept as written and
   * flagged, so that the order reaches an agent instead of the quarantine.
   */
  typed?: boolean;
}

/**
 * All the order lines in free text. Lines that run several items one after another are read as
 * sentences (by the references master data knows); the rest by the reader that explains them best.
 */
export function parseOrderLines(text: string, md?: MasterData, opts: LineReadingOptions = {}): DraftLine[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const runs = md && lines.length <= 400 ? lines.filter((l) => isItemRun(l, md)) : [];
  if (!md || !runs.length) return parseLines(lines, md, opts);
  const items = readProse(runs, md);
  if (!items.length) return parseLines(lines, md, opts);
  const rest = parseLines(lines.map((l) => (runs.includes(l) ? '' : l)), md, opts);
  return numberLines([...items, ...rest].map((l) => ({ ...l, lineNumber: undefined })));
}

/**
 * The lines of a text that name a product master data knows beside a number, yet gave no order
 * line: the readers' blind spot (a way of writing they do not know). The caller flags them, so an
 * order read short never passes as complete. Lines over 200 characters are prose, not articles.
 */
export function unreadOrderLines(text: string, read: DraftLine[], md: MasterData): string[] {
  const have = new Set(read.flatMap((l) => [l.sku, l.customerPartNumber, l.ean].filter((k): k is string => !!k).map(compact)));
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = joinSpacedParts(raw.replace(/^[>\s]+/, ''), md).trim();
    if (!line || line.length > 200 || isTotalRow(line)) continue;
    const tokens = line.split(/[\s,;:()[\]]+/).filter(Boolean);
    // Every product the line names, not the first only: "10 VIS-440 et 5 CHV-6" read as one line is read short.
    const missed = tokens.map((t) => ({ t, r: classifyReference(t, md) })).filter((x) => x.r.known && !x.r.doubt && !have.has(compact(x.r.sku ?? x.r.customerPartNumber ?? x.r.ean ?? '')) && !have.has(compact(x.t)));
    // A number of its own beside the reference: a quantity may be there.
    if (!missed.some((m) => tokens.some((t) => t !== m.t && /^\d+(?:[.,]\d+)?\.?$/.test(t)))) continue;
    out.push(line);
  }
  return out;
}

// Words after a number that make it no quantity asked for: an address, an hour, a delay, a sum of money.
const NOT_QUANTITY_AFTER = /^(?:rue|avenue|av|bd|boulevard|chemin|all[ée]e|place|impasse|route|quai|za|zi|zac|stra(?:ss|ß)e|str|weg|platz|via|viale|piazza|calle|avenida|straat|laan|plein|h|heures?|min|minutes?|jours?|semaines?|mois|days?|weeks?|hours?|months?|tage?n?|wochen?|stunden?|giorni|settimane|d[íi]as|semanas|dagen|weken|uur|ans?|years?|%|€|eur|euros?|chf|ht|ttc)(?![\p{L}])/iu;
// A label right before a number makes it a reference, not a quantity: "Cde 4512", "commande n° 4512", "réf. 12".
// Or a street before it makes it a house number: "Bahnhofstrasse 12", "Kerkstraat 4", "Mechelsesteenweg 120".
const NUMBER_LABEL_BEFORE = /(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|laan|straat|plein|dreef|kade|gracht|damm),?[ \t]*$|(?<![\p{L}])(?:n[°º]|no|nr|num[ée]ro|cde|commande|order|po|bestellung|pedido|ordine|bestelling|r[ée]f(?:[ée]rence)?|ref|t[ée]l|fax|tel|bc|lot|page|case|bo[îi]te\s+postale|bp|cs|cedex)(?:[ \t]*[.:#])?[ \t]*$/iu;

// Where a quantity asked for stands: at the start of a clause (the line's start, a bullet or number, a
// comma, "et", "and", "und"), right after the request ("livrer", "send us", "liefern Sie uns") or the day
// asked for ("pour lundi 10 boîtes"), never
// inside an article's designation ("Crochet S acier 60 mm", "taille 9") or after a preposition ("au 14").
const CLAUSE_START = /(?:^|[,;:+&•*–(-]|\d[.)]|(?<![\p{L}])(?:et|and|und|e|y|en|plus|ainsi[ \t]+que|as[ \t]+well[ \t]+as|sowie|also|aussi|auch|encore|ook|anche|tambi[ée]n|nous|uns|us|me|moi|mir|mij|ons|ci|nos|noi|livrer|envoyer|exp[ée]dier|commander|parvenir|deliver|send|supply|order|liefern|senden|schicken|bestellen|consegnare|inviare|enviar|entregar|leveren|sturen|please|merci|svp|bitte|demain|tomorrow|morgen|domani|ma[ñn]ana|lundi|mardi|mercredi|jeudi|vendredi|samedi|monday|tuesday|wednesday|thursday|friday|saturday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|lunes|martes|mi[ée]rcoles|jueves|viernes|maandag|dinsdag|woensdag|donderdag|vrijdag))[ \t]*$/iu;
const ENGLISH_STREET = /^(?:\p{Lu}[\p{L}'’-]*[ \t]+){0,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|court|ct|place|pl|boulevard|blvd|square|sq|highway|hwy|park|gardens?|terrace|crescent|grove|hill|row|walk|parkway)(?![\p{L}])/iu;
// A line that gives the delivery address under its label ("Deliver to: …", "Livraison : …", "Lieferadresse: …").
const ADDRESS_LINE = new RegExp(`(?<![\\p{L}])(?:${SHIP_TO_LABELS.join('|')})[ \\t]*:`, 'iu');

/**
 * In a text a person typed, the quantities asked for in a request ("merci de nous livrer 10 boîtes
 * de vis et 5 CHV-6 pour lundi") that no line read carries, as written: a way of writing the readers
 * missed. Looked for in the request's paragraph and the next, on lines no read line explains (a
 * table row, a line naming a reference read, a quoted line are left out). The caller flags them, so
 * an order read short is never certain.
 */
export function unreadProseMentions(text: string, read: DraftLine[], md: MasterData): string[] {
  if (text.length > 20_000) return [];
  const refs = new Set(read.flatMap((l) => [l.sku, l.customerPartNumber, l.ean].filter((k): k is string => !!k).map(compact)));
  const namesRead = (words: string) => words.split(/[\s,;:()[\]]+/).some((t) => {
    const r = classifyReference(t, md);
    return refs.has(compact(t)) || (r.known && refs.has(compact(r.sku ?? r.customerPartNumber ?? r.ean ?? '')));
  });
  const paragraphs = text.split(/\n[ \t]*\n/);
  const lines = paragraphs.flatMap((p, i) => (ORDER_REQUEST.test(p) || (i > 0 && ORDER_REQUEST.test(paragraphs[i - 1]!)) ? p.split('\n') : []));
  // Table rows, quoted lines and address lines are the other readers' or no order's.
  const mentions = lines.filter((l) => !/\t| {3}|[|;]|^\s*>/.test(l) && !ADDRESS_LINE.test(l)).flatMap((l) => quantityMentions(joinSpacedParts(l, md)));
  // A read line whose reference the text names accounts for its mention; the others (an article written out in words) for one of their quantity.
  const named = (l: DraftLine) => [l.sku, l.customerPartNumber, l.ean].some((k) => k && mentions.some((m) => compact(m.item).includes(compact(k))));
  const left = read.filter((l) => !named(l)).map((l) => l.quantity);
  return mentions.filter((m) => {
    if (namesRead(m.item)) return false;
    const at = left.indexOf(m.quantity);
    if (at >= 0) left.splice(at, 1);
    return at < 0;
  }).map((m) => m.text);
}

/** The quantities a line asks for ("10 boîtes de vis", "5 CHV-6"): not a date, an address, an hour, a postal code or a labelled number. */
function quantityMentions(raw: string): { quantity: number; item: string; text: string }[] {
  let line = raw;
  for (const d of findDates(raw)) line = `${line.slice(0, d.index)}${' '.repeat(d.length)}${line.slice(d.index + d.length)}`;
  const out: { quantity: number; item: string; text: string }[] = [];
  PROSE_QTY.lastIndex = 0;
  for (let m = PROSE_QTY.exec(line); m; m = PROSE_QTY.exec(line)) {
    const rest = line.slice(m.index + m[0].length, m.index + m[0].length + 80);
    const item = rest.slice(0, proseItemEnd(rest)).trim();
    const before = line.slice(Math.max(0, m.index - 30), m.index);
    // "1)", "2)": a list's numbering.
    if (line[m.index + m[1]!.length] === ')') continue;
    if (!CLAUSE_START.test(before) || !/\p{L}.*\p{L}|\d\p{L}|\p{L}\d/u.test(item) || NOT_QUANTITY_AFTER.test(item) || NUMBER_LABEL_BEFORE.test(before)) continue;
    // "12 High Street", "221 Baker St": an English house number before its street.
    if (ENGLISH_STREET.test(item)) continue;
    // "67100 Strasbourg", "4040 Herstal": a postal code before its town.
    if (/^\d{4,5}$/.test(m[1]!) && !m[2] && /^\p{Lu}\p{Ll}/u.test(item)) continue;
    out.push({ quantity: Number(m[1]), item, text: `${m[0].trim()} ${item}` });
    // The article's own words ("Serrure 3 points") hold no other quantity.
    PROSE_QTY.lastIndex = Math.max(PROSE_QTY.lastIndex, m.index + m[0].length + item.length);
  }
  return out;
}
