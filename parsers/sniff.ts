// Recognise a document by its bytes, never by its name or Content-Type.
import { isNotice } from './notice';
export type DocumentKind = 'notice' | 'api-json' | 'x12' | 'edifact' | 'email' | 'pdf' | 'tiff' | 'png' | 'jpeg' | 'text' | 'unknown';

export function sniff(bytes: Buffer): DocumentKind {
  const { start, head, trimmed } = headOf(bytes);
  if (trimmed.startsWith('%PDF') || head.slice(0, 1024).includes('%PDF-')) return 'pdf';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))) return 'tiff';
  if (bytes[0] === 0x89 && head.slice(1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const edi = ediStandardOf(trimmed);
  if (edi) return edi;
  if (isNotice(trimmed)) return 'notice';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'api-json';
  if (/^(?:(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Content-Type|X-[\w-]+|Delivered-To|Reply-To|Cc|In-Reply-To|References|DKIM-Signature|Authentication-Results|Thread-Topic|Thread-Index)\s*:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}/i.test(trimmed.replace(/\r\n/g, '\n'))) return 'email';
  if (isMostlyText(bytes.subarray(start, start + 4096))) return 'text';
  return 'unknown';
}

/** The one EDI detector: X12 opens with ISA and its element separator, EDIFACT with UNA or UNB. */
function ediStandardOf(trimmedHead: string): 'x12' | 'edifact' | null {
  if (/^ISA[^A-Za-z0-9\s]/.test(trimmedHead)) return 'x12';
  if (/^(UNA.{6}|UNB[^A-Za-z0-9 ])/s.test(trimmedHead)) return 'edifact';
  return null;
}

/** The first 4 KiB after a BOM, as latin1, and the same without leading white space and NUL padding (some VANs pad records). */
function headOf(bytes: Buffer): { start: number; head: string; trimmed: string } {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const head = bytes.subarray(start, start + 4096).toString('latin1');
  let skip = 0;
  while (skip < head.length && (head.charCodeAt(skip) === 0 || /\s/.test(head[skip]!))) skip++;
  return { start, head, trimmed: head.slice(skip) };
}

/** Which EDI standard these bytes are, or null when they are not EDI (a BOM and leading padding skipped). */
export function detectStandard(bytes: Buffer): 'x12' | 'edifact' | null {
  return ediStandardOf(headOf(bytes).trimmed);
}

function isMostlyText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let bad = 0;
  for (const c of b) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20 && c !== 0x1b)) bad++;
  return bad / b.length < 0.01;
}
