// Placeholder until the email reader lands: the document is kept and reported, never dropped.
import { problem } from '../../domain/order';
import type { Parser } from '../types';

export const parseEmail: Parser = async (_bytes, ctx) => ({
  drafts: [],
  problems: [problem('UNSUPPORTED_FORMAT', `${ctx.meta.fileName}: email documents cannot be read yet`, 'error', ctx.meta.fileName)],
});
