// A plain-text document (a .txt dropped in the folder, a pasted order): read like an email body.
import { problem } from '../../domain/order';
import type { Parser } from '../types';
import { readOrderText, unreadLinesProblem } from './index';
import { boundTextProblems } from '../caps';

export const parseTextDocument: Parser = async (bytes, ctx) => {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const received = new Date(ctx.meta.receivedAt);
  const ok = !Number.isNaN(received.getTime());
  const r = readOrderText(text, ctx.masterData, { parser: 'text', location: ctx.meta.fileName, ref: ok ? received : undefined, sent: ok ? { at: ctx.meta.receivedAt, what: 'the day it was received' } : undefined });
  if (r.found.lines === 0) {
    return { drafts: [], problems: [problem('TEXT_NO_ORDER', `${ctx.meta.fileName}: plain text with no order lines (expected a table of references and quantities)`, 'error', ctx.meta.fileName)] };
  }
  const problems = boundTextProblems(r.found, ctx.meta.fileName);
  const unread = unreadLinesProblem(r.found.unread, ctx.meta.fileName);
  if (unread) problems.push(unread);
  return { drafts: [r.draft], problems };
};
