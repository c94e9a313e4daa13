// Recognise a document by its bytes, never by its name or Content-Type.
import { isNotice } from './notice';
export type DocumentKind = 'notice' | 'api-json' | 'x12' | 'edifact' | 'email' | 'pdf' | 'tiff' | 'png' | 'jpeg' | 'text' | 'unknown';

export function sniff(bytes: Buffer): DocumentKind {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const head = bytes.subarray(start, start + 4096).toString('latin1');
  // Leading white space and NUL padding (some VANs pad records) are not part of the document.
  let skip = 0;
  while (skip < head.length && (head.charCodeAt(skip) === 0 || /\s/.test(head[skip]!))) skip++;
  const trimmed = head.slice(skip);
  if (trimmed.startsWith('%PDF') || head.slice(0, 1024).includes('%PDF-')) return 'pdf';
  if (bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 0x2a && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 0x2a))) return 'tiff';
  if (bytes[0] === 0x89 && head.slice(1, 4) === 'PNG') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (/^ISA[^A-Za-z0-9\s]/.test(trimmed)) return 'x12';
  if (/^(UNA.{6}|UNB[^A-Za-z0-9 ])/s.test(trimmed)) return 'edifact';
  if (isNotice(trimmed)) return 'notice';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'api-json';
  if (/^(?:(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Content-Type|X-[\w-]+|Delivered-To|Reply-To|Cc|In-Reply-To|References|DKIM-Signature|Authentication-Results|Thread-Topic|Thread-Index)\s*:[^\n]*\n(?:[ \t][^\n]*\n)*){2,}/i.test(trimmed.replace(/\r\n/g, '\n'))) return 'email';
  if (isMostlyText(bytes.subarray(start, start + 4096))) return 'text';
  return 'unknown';
}

function isMostlyText(b: Buffer): boolean {
  if (b.length === 0) return false;
  let bad = 0;
  for (const c of b) if (c === 0 || (c < 0x09) || (c > 0x0d && c < 0x20 && c !== 0x1b)) bad++;
  return bad / b.length < 0.01;
}
