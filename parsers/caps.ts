// The caps of parsers/limits.ts applied to what any reader drafted, in one place: a value over its
// cap is refused or cut, with a problem saying which and where. Pure.
import { problem, type Problem } from '../domain/order';
import type { DraftOrder } from '../domain/resolve';
import { LIMITS } from './limits';

export function capDraft(d: DraftOrder, fileName: string): Problem[] {
  const out: Problem[] = [];
  if (d.poNumber && d.poNumber.length > LIMITS.poNumberChars) {
    out.push(problem('FIELD_TOO_LONG', `${fileName}: the PO number read is ${d.poNumber.length} characters long, above the ${LIMITS.poNumberChars} a PO number may have; not taken ("${d.poNumber.slice(0, 40)}…")`, 'error', `${fileName} / poNumber`));
    d.poNumber = null;
  }
  if (d.lines.length > LIMITS.orderLines) {
    out.push(problem('TOO_MANY_LINES', `${fileName}: ${d.lines.length} order lines, above the ${LIMITS.orderLines} an order may have; the first ${LIMITS.orderLines} were kept`, 'error', fileName));
    d.lines = d.lines.slice(0, LIMITS.orderLines);
  }
  d.lines.forEach((l, i) => {
    const where = `${fileName} / line ${l.lineNumber ?? i + 1}`;
    for (const field of ['sku', 'customerPartNumber'] as const) {
      const v = l[field];
      if (v && v.length > LIMITS.referenceChars) {
        out.push(problem('FIELD_TOO_LONG', `${fileName}: line ${l.lineNumber ?? i + 1} has a reference of ${v.length} characters, above ${LIMITS.referenceChars}; not taken`, 'warning', where));
        l[field] = null;
      }
    }
    if (l.description && l.description.length > LIMITS.descriptionChars) {
      out.push(problem('FIELD_TOO_LONG', `${fileName}: line ${l.lineNumber ?? i + 1} has a description of ${l.description.length} characters; cut to ${LIMITS.descriptionChars}`, 'warning', where));
      l.description = l.description.slice(0, LIMITS.descriptionChars);
    }
  });
  return out;
}

export interface BoundText {
  text: string;
  /** Lines cut to LIMITS.lineChars, and the first of them (1-based; 0 when none). */
  linesCut: number;
  firstCutLine: number;
  /** The text was longer than LIMITS.textChars and only its beginning is kept. */
  textCut: boolean;
}

/** A text as the text readers take it: at most LIMITS.textChars, each line at most LIMITS.lineChars. */
export function boundText(text: string): BoundText {
  const textCut = text.length > LIMITS.textChars;
  const head = textCut ? text.slice(0, LIMITS.textChars) : text;
  let linesCut = 0;
  let firstCutLine = 0;
  const lines = head.split('\n').map((l, i) => {
    if (l.length <= LIMITS.lineChars) return l;
    linesCut++;
    firstCutLine ||= i + 1;
    return l.slice(0, LIMITS.lineChars);
  });
  return { text: linesCut ? lines.join('\n') : head, linesCut, firstCutLine, textCut };
}

/**
 * What boundText cut, as problems saying what and where: `what` names the text in its file ("order.txt",
 * "message.eml / body (HTML)"), `where` the place for the problem.
 */
export function boundTextProblems(b: Pick<BoundText, 'linesCut' | 'firstCutLine' | 'textCut'>, what: string, where = what): Problem[] {
  const out: Problem[] = [];
  if (b.linesCut) {
    const first = b.linesCut > 1 ? `, the first at line ${b.firstCutLine}` : ` (line ${b.firstCutLine})`;
    out.push(problem('LINE_TOO_LONG', `${what}: ${b.linesCut} line(s) longer than ${LIMITS.lineChars} characters${first}, read up to that length`, 'warning', `${where}, line ${b.firstCutLine}`));
  }
  if (b.textCut) out.push(problem('TEXT_TOO_LONG', `${what}: longer than ${LIMITS.textChars / 1048576} MB of text; only the beginning was read`, 'warning', where));
  return out;
}
