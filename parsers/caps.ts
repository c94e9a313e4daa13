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

/** A text as the text readers take it: at most LIMITS.textChars, each line at most LIMITS.lineChars. */
export function boundText(text: string): { text: string; linesCut: number; textCut: boolean } {
  const textCut = text.length > LIMITS.textChars;
  const head = textCut ? text.slice(0, LIMITS.textChars) : text;
  let linesCut = 0;
  const lines = head.split('\n').map((l) => {
    if (l.length <= LIMITS.lineChars) return l;
    linesCut++;
    return l.slice(0, LIMITS.lineChars);
  });
  return { text: linesCut ? lines.join('\n') : head, linesCut, textCut };
}
