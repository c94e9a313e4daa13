// X12 tokenizer: bytes in (in chunks of any size), segments out, one at a time. The delimiters
// come from each ISA (element separator at byte 3, component ISA16, repetition ISA11 from 00402,
// terminator after ISA16) and are detected again at every ISA, since one file may hold several.
import { LIMITS } from '../limits';
import { decodeGuess, isTag, isWs, skipBom, stripLineBreaks, trimStart } from './bytes';

export interface X12Delimiters {
  element: string;
  component: string | null;
  repetition: string | null;
  /** The segment terminator as the partner wrote it ('~', '\n' for line-terminated files, '…'). */
  segment: string;
}

export interface X12Segment {
  tag: string;
  /** elements[0] is the tag, elements[1] is XX01, as in the X12 documentation. */
  elements: string[];
  /** 1-based position of the segment in the file. */
  index: number;
  /** Line of the file where the segment starts. */
  line: number;
  delimiters: X12Delimiters;
}

export interface TokenProblem {
  code: string;
  message: string;
  where: string;
  severity: 'error' | 'warning';
}

const ISA = Buffer.from('ISA');
const HIGH_BYTES = /[\u0080-\u00ff]/;
const LF = Buffer.from('\n');
/** Enough bytes to see an ISA (106), its wrapping, and the following GS line. */
const ISA_LOOKAHEAD = 1024;

interface Detected {
  delimiters: X12Delimiters;
  term: Buffer;
  /** Offset just after the ISA's terminator. */
  next: number;
  /** The ISA segment text, line breaks removed, terminator excluded. */
  text: string;
  warnings: string[];
}

/**
 * Reads the ISA at `pos`. Returns 'more' when the chunk ends before the ISA does, or a reason
 * string when these bytes are not an ISA that can be trusted.
 */
export function detectIsa(b: Buffer, pos: number, final: boolean): Detected | 'more' | string {
  if (!final && b.length - pos < ISA_LOOKAHEAD) return 'more';
  const sepByte = b[pos + 3];
  if (sepByte === undefined) return 'the file ends inside the ISA segment';
  if (/[A-Za-z0-9\s]/.test(String.fromCharCode(sepByte))) return `"${String.fromCharCode(sepByte)}" after ISA cannot be an element separator`;
  let seps = 0;
  let i = pos + 3;
  const chars: number[] = [];
  // The ISA is fixed-length in theory; in practice it is wrapped, padded wrong or short of ISA16.
  while (i < b.length && seps < 16) {
    const c = b[i]!;
    if (c === sepByte) seps++;
    if (c !== 0x0a && c !== 0x0d) chars.push(c);
    i++;
    if (i - pos > 400) break;
  }
  if (seps < 16) return `the ISA has ${seps + 1} elements where 16 are required`;
  const skipBreaks = (k: number): number => {
    while (k < b.length && (b[k] === 0x0a || b[k] === 0x0d)) k++;
    return k;
  };
  i = skipBreaks(i);
  if (i >= b.length) return 'the file ends inside the ISA segment';
  const isa16Pos = i;
  const isa16 = readChar(b, isa16Pos);
  const afterIsa16 = isa16Pos + isa16.bytes;
  const k = skipBreaks(afterIsa16);
  const next = b[k];
  const warnings: string[] = [];
  let component: string | null = isa16.char;
  let term: Buffer;
  let nextPos: number;
  const startsTag = next !== undefined && /[A-Z]/.test(String.fromCharCode(next));
  if (k > afterIsa16 && startsTag) {
    // Either ISA16 is followed by a line-break terminator, or ISA16 is missing and what we took
    // for it is the terminator: the GS line tells (it ends with the terminator in the second case).
    const lineEnd = b.indexOf(LF, k);
    const gsLine = b.toString('latin1', k, lineEnd < 0 ? Math.min(b.length, k + 300) : lineEnd).replace(/\r$/, '');
    if (gsLine.endsWith(isa16.char) && gsLine.length > 2) {
      component = null;
      term = Buffer.from(isa16.char, 'utf8');
      nextPos = afterIsa16;
      warnings.push(`ISA16 (component separator) is missing; "${isa16.char}" is read as the segment terminator`);
    } else {
      term = LF;
      nextPos = k;
    }
  } else if (startsTag && k === afterIsa16) {
    // "…*>GS*": no terminator at all after ISA16.
    return 'no segment terminator after ISA16';
  } else {
    const t = readChar(b, k);
    if (t.bytes === 0) return 'the file ends inside the ISA segment';
    term = Buffer.from(b.subarray(k, k + t.bytes)); // a copy: the chunk may be reused
    if (/[A-Za-z0-9]/.test(t.char)) return `"${t.char}" cannot be a segment terminator`;
    nextPos = k + t.bytes;
  }
  chars.push(...b.subarray(isa16Pos, afterIsa16));
  const text = 'ISA' + Buffer.from(chars).toString('latin1');
  const element = String.fromCharCode(sepByte);
  const els = text.split(element);
  const version = (els[12] ?? '').trim();
  const isa11 = els[11] ?? '';
  const repetition = version >= '00402' && isa11.length === 1 && !/[A-Za-z0-9 ]/.test(isa11) ? isa11 : null;
  if (component !== null && (component === element || /[A-Za-z0-9 ]/.test(component))) {
    warnings.push(`ISA16 "${component}" cannot be a component separator; composites are not split`);
    component = null;
  }
  return { delimiters: { element, component, repetition, segment: term.toString('utf8') }, term, next: nextPos, text, warnings };
}

function readChar(b: Buffer, pos: number): { char: string; bytes: number } {
  const c = b[pos];
  if (c === undefined) return { char: '', bytes: 0 };
  if (c < 0x80) return { char: String.fromCharCode(c), bytes: 1 };
  // A multi-byte UTF-8 terminator such as U+2026 "…"
  const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  const s = b.toString('utf8', pos, pos + len);
  if (len > 1 && !s.includes('\ufffd')) return { char: s, bytes: len };
  return { char: String.fromCharCode(c), bytes: 1 };
}

/** Streaming X12 tokenizer: push chunks, then end(); each yields the complete segments it can. */
export class X12Tokenizer {
  readonly problems: TokenProblem[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private det: Detected | null = null;
  private index = 0;
  private line = 1;
  private started = false;
  private junkReported = false;
  private termStr = '';

  *push(chunk: Buffer): Generator<X12Segment> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    yield* this.drain(false);
  }

  *end(): Generator<X12Segment> {
    yield* this.drain(true);
    this.buf = Buffer.alloc(0);
  }

  private problem(code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ code, message, where: `line ${this.line}`, severity });
  }

  private *drain(final: boolean): Generator<X12Segment> {
    const b = this.buf;
    let pos = 0;
    if (!this.started) {
      if (b.length < 3 && !final) return;
      pos = skipBom(b, 0);
      this.started = true;
    }
    // One latin1 string per chunk (one char per byte, so offsets match the buffer): slicing it is
    // far cheaper than decoding every segment from the buffer on its own.
    const str = b.toString('latin1');
    const high = HIGH_BYTES.test(str);
    let nextLf = str.indexOf('\n', pos);
    const linesTo = (to: number): void => {
      while (nextLf >= 0 && nextLf < to) {
        this.line++;
        nextLf = str.indexOf('\n', nextLf + 1);
      }
    };
    for (;;) {
      while (pos < b.length && isWs(b[pos]!)) pos++;
      linesTo(pos);
      if (pos >= b.length) break;
      const atIsa = b[pos] === 0x49 && b[pos + 1] === 0x53 && b[pos + 2] === 0x41 && (b[pos + 3] === undefined || !/[A-Za-z0-9\s]/.test(String.fromCharCode(b[pos + 3]!)));
      if (!atIsa && pos + 4 > b.length && !final) break;
      if (atIsa) {
        const d = detectIsa(b, pos, final);
        if (d === 'more') break;
        if (typeof d === 'string') {
          this.problem('EDI_SYNTAX', `unreadable ISA segment: ${d}`);
          const skip = this.skipTo(b, pos + 3, final);
          pos = skip.at;
          linesTo(pos);
          if (!skip.found) break;
          continue;
        }
        const seg = this.startInterchange(d);
        pos = d.next;
        yield seg;
        continue;
      }
      if (!this.det) {
        // Bytes before any ISA are not X12: say so once, then look for an ISA further on.
        if (!this.junkReported) this.problem('EDI_SYNTAX', 'bytes that are not X12 (no ISA segment where an interchange should start)');
        this.junkReported = true;
        const skip = this.skipTo(b, pos + 1, final);
        pos = skip.at;
        linesTo(pos);
        if (!skip.found) break;
        continue;
      }
      const { term, delimiters } = this.det;
      let end = str.indexOf(this.termStr, pos);
      if (end < 0) {
        if (!final) break;
        end = b.length;
        const rest = str.slice(pos, end).trim();
        if (rest.length === 0) {
          pos = end;
          break;
        }
        this.problem('EDI_SYNTAX', `the last segment (${rest.slice(0, 12)}…) has no terminator "${delimiters.segment}"`, 'warning');
      }
      const startLine = this.line;
      const wrapped = nextLf >= 0 && nextLf < end;
      const text = segmentText(b, str, high, pos, end, wrapped, delimiters.segment);
      pos = Math.min(b.length, end + term.length);
      linesTo(pos);
      if (text.length === 0) continue;
      const seg = this.segmentOf(text, startLine, delimiters);
      if (seg) yield seg;
    }
    // A copy, so that the caller may reuse its chunk buffer for the next read.
    this.buf = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
  }

  /** An ISA read: its delimiters hold until the next one; the ISA segment itself. */
  private startInterchange(d: Detected): X12Segment {
    this.det = d;
    this.termStr = d.term.toString('latin1');
    this.junkReported = false;
    for (const w of d.warnings) this.problem('EDI_SYNTAX', w, 'warning');
    this.index++;
    return { tag: 'ISA', elements: d.text.split(d.delimiters.element), index: this.index, line: this.line, delimiters: d.delimiters };
  }

  /** The segment a (trimmed, non-empty) text holds; null, with the problem, when it is too long to read. */
  private segmentOf(text: string, startLine: number, delimiters: X12Delimiters): X12Segment | null {
    if (text.length > LIMITS.lineChars) {
      // A segment is at most a few hundred characters (EDIFACT's longest element is 512): not read.
      this.index++;
      this.problems.push({ code: 'LINE_TOO_LONG', message: `segment ${this.index} "${text.slice(0, 3)}…" is ${text.length} characters long, above the ${LIMITS.lineChars} a segment may have; not read`, where: `segment ${this.index} (line ${startLine})`, severity: 'error' });
      return null;
    }
    const elements = text.split(delimiters.element);
    let tag = elements[0]!;
    if (!isTag(tag, 2, 3)) elements[0] = tag = tag.trim();
    this.index++;
    if (!isTag(tag, 2, 3)) this.problems.push({ code: 'EDI_SYNTAX', message: `"${tag.slice(0, 20)}" is not a segment tag`, where: `segment ${this.index} (line ${startLine})`, severity: 'error' });
    return { tag, elements, index: this.index, line: startLine, delimiters };
  }

  /** The next "ISA" at or after `from`; when there is none, where to resume once more bytes come. */
  private skipTo(b: Buffer, from: number, final: boolean): { at: number; found: boolean } {
    let i = b.indexOf(ISA, from);
    while (i >= 0 && b[i + 3] !== undefined && /[A-Za-z0-9\s]/.test(String.fromCharCode(b[i + 3]!))) i = b.indexOf(ISA, i + 1);
    if (i < 0) {
      return { at: final ? b.length : Math.max(from, b.length - 3), found: false };
    }
    return { at: i, found: true };
  }
}

/** Splits an element into components (a composite), or returns it whole when there is no separator. */
export function components(element: string | undefined, d: X12Delimiters): string[] {
  if (element === undefined) return [];
  return d.component ? element.split(d.component) : [element];
}

export function* x12Segments(bytes: Buffer, tokenizer = new X12Tokenizer()): Generator<X12Segment> {
  yield* tokenizer.push(bytes);
  yield* tokenizer.end();
}

/** A segment's text (bytes pos..end): decoded, its line breaks dropped unless they are the terminator, leading spaces trimmed. */
function segmentText(b: Buffer, str: string, high: boolean, pos: number, end: number, wrapped: boolean, terminator: string): string {
  let text = high && HIGH_BYTES.test(str.slice(pos, end)) ? decodeGuess(b, pos, end) : str.slice(pos, end);
  if (terminator === '\n') {
    if (text.charCodeAt(text.length - 1) === 0x0d) text = text.replace(/(?<!\r)\r+$/, '');
  } else if (wrapped || text.indexOf('\r') >= 0) text = stripLineBreaks(text);
  return trimStart(text);
}
