// Byte helpers shared by the X12 and EDIFACT tokenizers. Both read a Buffer chunk by chunk and
// decode one segment at a time, so a large file is never turned into one big string.

const utf8 = new TextDecoder('utf-8', { fatal: true });
const HIGH = /[\u0080-\u00ff]/;

/** Latin-1 unless the bytes are valid UTF-8 with multi-byte characters (what partners really send). */
export function decodeGuess(b: Buffer, start: number, end: number): string {
  const s = b.toString('latin1', start, end);
  if (!HIGH.test(s)) return s;
  try {
    return utf8.decode(b.subarray(start, end));
  } catch {
    return s;
  }
}

/** Decodes as UTF-8 strictly; null when the bytes are not UTF-8. */
export function decodeUtf8Strict(b: Buffer, start: number, end: number): string | null {
  try {
    return utf8.decode(b.subarray(start, end));
  } catch {
    return null;
  }
}

export function hasHighBytes(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return true;
  return false;
}

/** Number of LF bytes in [start, end): the tokenizers keep line numbers for the problems they report. */
export function countLf(b: Buffer, start: number, end: number): number {
  // A bounded loop: indexOf would scan to the end of the buffer on a file without line breaks.
  let n = 0;
  const stop = Math.min(end, b.length);
  for (let i = start; i < stop; i++) if (b[i] === 0x0a) n++;
  return n;
}

/** A plausible segment tag: a capital letter, then capitals or digits (X12 2–3, EDIFACT 3). */
export function isTag(t: string, min: number, max: number): boolean {
  if (t.length < min || t.length > max) return false;
  const c0 = t.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  for (let i = 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** Leading blanks (indentation, stray NULs) removed; the common case returns the string as is. */
export function trimStart(s: string): string {
  const c = s.charCodeAt(0);
  if (!(c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0)) return s;
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) <= 0x20 || s.charCodeAt(i) === 0xa0)) i++;
  return s.slice(i);
}

/** Removes CR and LF bytes: 80-column VAN wrapping breaks segments anywhere, even inside a tag. */
export function stripLineBreaks(s: string): string {
  return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace(/[\r\n]+/g, '');
}

export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x00;
}

export function skipBom(b: Buffer, pos: number): number {
  return b[pos] === 0xef && b[pos + 1] === 0xbb && b[pos + 2] === 0xbf ? pos + 3 : pos;
}

/** Parses an EDI decimal ("12.5", "12,5", "-3", ".5"); null when it is not a number. */
export function ediNumber(raw: string | undefined | null): number | null {
  if (raw === undefined || raw === null) return null;
  const t = raw.trim().replace(',', '.');
  if (!/^-?(\d+(?:\.\d*)?|\.\d+)$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** CCYYMMDD or YYMMDD → YYYY-MM-DD when it is a real calendar date; null otherwise. */
export function ediDate(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let t = raw.trim();
  if (/^\d{6}$/.test(t)) t = (Number(t.slice(0, 2)) < 70 ? '20' : '19') + t;
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Control numbers compare numerically: "000000905" and "905" are the same interchange. */
export function sameControlNumber(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  const x = a.trim();
  const y = b.trim();
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return BigInt(x) === BigInt(y);
  return x === y;
}
