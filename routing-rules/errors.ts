// The one error users see when a rule set is wrong: every problem, each with file, line and column.

export interface RuleError {
  file: string;
  /** 1-based; 0 when the problem is about the whole set (e.g. no fallback anywhere). */
  line: number;
  column: number;
  message: string;
}

export function formatRuleError(e: RuleError): string {
  return e.line > 0 ? `${e.file}:${e.line}:${e.column}: ${e.message}` : `${e.file}: ${e.message}`;
}

export class InvalidRules extends Error {
  readonly code = 'INVALID_RULES';
  constructor(readonly errors: RuleError[]) {
    super(`${errors.length} problem(s) in the routing rules:\n${errors.map(formatRuleError).join('\n')}`);
    this.name = 'InvalidRules';
  }
}
