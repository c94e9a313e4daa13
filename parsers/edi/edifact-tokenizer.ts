// EDIFACT tokenizer: bytes in (in chunks of any size), segments out, one at a time. UNA is
// optional and honoured wherever an interchange starts; the release character escapes
// separators, also across chunk boundaries; the character set comes from UNB 0001.
import { LIMITS } from '../limits';
import { countLf, decodeUtf8Strict, hasHighBytes, isTag, isWs, skipBom, stripLineBreaks, trimStart } from './bytes';
import { TextDecoder } from 'node:util';
import type { TokenProblem } from './x12-tokenizer';

export interface EdifactDelimiters {
  component: string;
  element: string;
  decimal: string;
  /** null when the UNA says there is none (a space). */
  release: string | null;
  repetition: string | null;
  segment: string;
}

export const DEFAULT_EDIFACT_DELIMITERS: EdifactDelimiters = { component: ':', element: '+', decimal: '.', release: '?', repetition: null, segment: "'" };

export interface EdifactSegment {
  tag: string;
  /** elements[0] is [tag]; each element is its list of components, release characters removed. */
  elements: string[][];
  index: number;
  line: number;
  delimiters: EdifactDelimiters;
}

/** UNB 0001 syntax identifiers → the decoder for their bytes. */
const CHARSETS: Record<string, string> = {
  UNOA: 'latin1', UNOB: 'latin1', UNOC: 'latin1', UNOD: 'iso-8859-2', UNOE: 'iso-8859-5', UNOF: 'iso-8859-7',
  UNOG: 'iso-8859-3', UNOH: 'iso-8859-4', UNOI: 'iso-8859-6', UNOJ: 'iso-8859-8', UNOK: 'iso-8859-9',
  UNOW: 'utf-8', UNOY: 'utf-8',
};

const HIGH_BYTES = /[\u0080-\u00ff]/;
const decoders = new Map<string, TextDecoder>();
function decoderFor(label: string): TextDecoder {
  let d = decoders.get(label);
  if (!d) {
    d = new TextDecoder(label);
    decoders.set(label, d);
  }
  return d;
}

export class EdifactTokenizer {
  readonly problems: TokenProblem[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private d: EdifactDelimiters = DEFAULT_EDIFACT_DELIMITERS;
  private term: number = 0x27;
  private release: number = 0x3f;
  private charset = 'latin1';
  private syntaxId = '';
  private mismatchReported = false;
  private index = 0;
  private line = 1;
  private started = false;
  private seenStart = false;

  *push(chunk: Buffer): Generator<EdifactSegment> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    yield* this.drain(false);
  }

  *end(): Generator<EdifactSegment> {
    yield* this.drain(true);
    this.buf = Buffer.alloc(0);
  }

  private problem(code: string, message: string, severity: 'error' | 'warning', where = `line ${this.line}`): void {
    this.problems.push({ code, message, where, severity });
  }

  private *drain(final: boolean): Generator<EdifactSegment> {
    const b = this.buf;
    let pos = 0;
    if (!this.started) {
      if (b.length < 3 && !final) return;
      pos = skipBom(b, 0);
      this.started = true;
    }
    // One latin1 string per chunk (offsets match the buffer): slicing it is far cheaper than
    // decoding every segment; only chunks with bytes above 0x7F go through the charset decoder.
    const str = b.toString('latin1');
    const high = HIGH_BYTES.test(str);
    for (;;) {
      while (pos < b.length && isWs(b[pos]!)) {
        if (b[pos] === 0x0a) this.line++;
        pos++;
      }
      if (pos >= b.length) break;
      if (b[pos] === 0x55 && b[pos + 1] === 0x4e && b[pos + 2] === 0x41) {
        const next = this.readUna(b, pos, final);
        if (next === 'more') break;
        pos = next; // the end, when the last UNA is cut short: the loop stops there
        continue;
      }
      if (!this.seenStart) {
        const tagLooksOk = b.length - pos >= 3 ? /^UN[BG]/.test(b.toString('latin1', pos, pos + 3)) : !final;
        if (!tagLooksOk) {
          this.problem('EDI_SYNTAX', 'bytes that are not EDIFACT (no UNA or UNB where an interchange should start)', 'error');
          pos = b.length;
          break;
        }
        if (b.length - pos < 3) break;
        this.seenStart = true;
      }
      const end = this.findTerminator(b, pos);
      let stop = end;
      if (end < 0) {
        if (!final) break;
        stop = b.length;
        const rest = b.toString('latin1', pos, stop).trim();
        if (rest.length === 0) {
          pos = stop;
          break;
        }
        this.problem('EDI_SYNTAX', `the last segment (${rest.slice(0, 12)}…) has no terminator "${this.d.segment}"`, 'warning');
      }
      const startLine = this.line;
      const lf = countLf(b, pos, stop);
      let text = high ? this.decode(b, pos, stop, startLine) : str.slice(pos, stop);
      if (this.d.segment !== '\n' && this.d.segment !== '\r') text = stripLineBreaks(text);
      this.line += lf + (stop < b.length && b[stop] === 0x0a ? 1 : 0);
      pos = Math.min(b.length, stop + 1);
      text = trimStart(text);
      if (text.length === 0) continue;
      const seg = this.segmentOf(text, startLine);
      if (!seg) continue;
      yield seg;
      if (seg.tag === 'UNZ') this.seenStart = false;
    }
    // A copy, so that the caller may reuse its chunk buffer for the next read.
    this.buf = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
  }

  /**
   * UNA + six service characters, which may themselves be wrapped onto the next line: the
   * delimiters from now on. Returns where reading resumes, or 'more' when the chunk cuts it short.
   */
  private readUna(b: Buffer, pos: number, final: boolean): number | 'more' {
    const chars: number[] = [];
    let i = pos + 3;
    while (i < b.length && chars.length < 6) {
      if (b[i] !== 0x0a && b[i] !== 0x0d) chars.push(b[i]!);
      i++;
    }
    if (chars.length < 6) {
      if (!final) return 'more';
      this.problem('EDI_SYNTAX', 'the UNA segment is cut short (it needs six service characters)', 'error');
      return b.length;
    }
    const c = chars.map((x) => String.fromCharCode(x));
    this.d = { component: c[0]!, element: c[1]!, decimal: c[2]!, release: c[3] === ' ' ? null : c[3]!, repetition: c[4] === ' ' ? null : c[4]!, segment: c[5]! };
    if (new Set([c[0], c[1], c[5]]).size < 3) this.problem('EDI_SYNTAX', `the UNA declares the same character twice among the separators ("${c.join('')}")`, 'error');
    this.term = chars[5]!;
    this.release = this.d.release ? chars[3]! : -1;
    this.line += countLf(b, pos, i);
    this.seenStart = true;
    return i;
  }

  /** The segment a (trimmed, non-empty) text holds; null, with the problem, when it is too long to read. */
  private segmentOf(text: string, startLine: number): EdifactSegment | null {
    if (text.length > LIMITS.lineChars) {
      // A segment is at most a few hundred characters (EDIFACT's longest element is 512): not read.
      this.index++;
      this.problems.push({ code: 'LINE_TOO_LONG', message: `segment ${this.index} "${text.slice(0, 3)}…" is ${text.length} characters long, above the ${LIMITS.lineChars} a segment may have; not read`, where: `segment ${this.index} (line ${startLine})`, severity: 'error' });
      return null;
    }
    const elements = splitSegment(text, this.d);
    const tag = (elements[0]?.[0] ?? '').trim();
    elements[0] = [tag];
    this.index++;
    if (!isTag(tag, 3, 3)) this.problem('EDI_SYNTAX', `"${tag.slice(0, 20)}" is not a segment tag`, 'error', `segment ${this.index} (line ${startLine})`);
    if (tag === 'UNB') this.onUnb(elements, startLine);
    return { tag, elements, index: this.index, line: startLine, delimiters: this.d };
  }

  /** The next terminator that is not escaped by an odd run of release characters. */
  private findTerminator(b: Buffer, from: number): number {
    let i = b.indexOf(this.term, from);
    while (i >= 0 && this.release >= 0) {
      let k = i - 1;
      let n = 0;
      while (k >= from && (b[k] === this.release || b[k] === 0x0a || b[k] === 0x0d)) {
        if (b[k] === this.release) n++;
        k--;
      }
      if (n % 2 === 0) return i;
      i = b.indexOf(this.term, i + 1);
    }
    return i;
  }

  private onUnb(elements: string[][], line: number): void {
    const id = (elements[1]?.[0] ?? '').trim().toUpperCase();
    this.syntaxId = id;
    this.mismatchReported = false;
    const cs = CHARSETS[id];
    if (!cs) {
      this.charset = 'latin1';
      if (id) this.problem('EDI_CHARSET', `syntax identifier "${id}" is not a UN/ECE character set; text is read as Latin-1`, 'warning', `line ${line}`);
    } else this.charset = cs;
  }

  private decode(b: Buffer, start: number, end: number, line: number): string {
    if (!hasHighBytes(b, start, end)) return b.toString('latin1', start, end);
    if (this.charset === 'utf-8') {
      const s = decodeUtf8Strict(b, start, end);
      if (s !== null) return s;
      this.mismatch(`${this.syntaxId} declares UTF-8 but the bytes are not UTF-8; read as Latin-1`, line);
      return b.toString('latin1', start, end);
    }
    // A partner that declares UNOC but writes UTF-8: multi-byte sequences that decode cleanly.
    const asUtf8 = decodeUtf8Strict(b, start, end);
    if (asUtf8 !== null) {
      this.mismatch(`${this.syntaxId || 'the interchange'} declares a single-byte character set but the bytes are UTF-8; read as UTF-8`, line);
      return asUtf8;
    }
    if (this.syntaxId === 'UNOA' || this.syntaxId === 'UNOB') this.mismatch(`${this.syntaxId} allows no accented letters but some are present; read as Latin-1`, line);
    return this.charset === 'latin1' ? b.toString('latin1', start, end) : decoderFor(this.charset).decode(b.subarray(start, end));
  }

  private mismatch(message: string, line: number): void {
    if (this.mismatchReported) return;
    this.mismatchReported = true;
    this.problem('EDI_CHARSET', message, 'warning', `line ${line}`);
  }
}

/** Splits one segment into elements and components, honouring the release character. */
export function splitSegment(text: string, d: EdifactDelimiters): string[][] {
  if (!d.release || text.indexOf(d.release) < 0) {
    const els = text.split(d.element);
    const out: string[][] = new Array(els.length);
    // Most elements are simple: an array literal is much cheaper than a split that finds nothing.
    for (let i = 0; i < els.length; i++) out[i] = els[i]!.indexOf(d.component) < 0 ? [els[i]!] : els[i]!.split(d.component);
    return out;
  }
  const out: string[][] = [];
  let el: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === d.release && i + 1 < text.length) {
      cur += text[++i];
    } else if (c === d.element) {
      el.push(cur);
      out.push(el);
      el = [];
      cur = '';
    } else if (c === d.component) {
      el.push(cur);
      cur = '';
    } else cur += c;
  }
  el.push(cur);
  out.push(el);
  return out;
}

/** Escapes a value for writing: separators and the release character get the release character. */
export function escapeEdifact(value: string, d: EdifactDelimiters): string {
  if (!d.release) return value;
  const special = new Set([d.component, d.element, d.release, d.segment, ...(d.repetition ? [d.repetition] : [])]);
  let out = '';
  for (const c of value) out += special.has(c) ? d.release + c : c;
  return out;
}

export function* edifactSegments(bytes: Buffer, tokenizer = new EdifactTokenizer()): Generator<EdifactSegment> {
  yield* tokenizer.push(bytes);
  yield* tokenizer.end();
}
