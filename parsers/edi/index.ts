// Placeholder until the EDI (X12/EDIFACT) reader lands: the document is kept and reported, never dropped.
import { problem } from '../../domain/order';
import type { Parser } from '../types';

export const parseEdi: Parser = async (_bytes, ctx) => ({
  drafts: [],
  problems: [problem('UNSUPPORTED_FORMAT', `${ctx.meta.fileName}: EDI (X12/EDIFACT) documents cannot be read yet`, 'error', ctx.meta.fileName)],
});
