// Notices: documents Aiguillage writes itself for what it could not take in, so that the miss is
// kept, traced by its own intake workflow and shown in the quarantine list with its reason.
// Two kinds: an e-mail the IMAP listener would not submit (channels/email/message.ts), and a file of a
// drop folder too large to be read (channels/drop-folder.ts).
import { z } from 'zod';
import { problem } from '../domain/order';
import type { Parser } from './types';

export const REFUSAL_NOTICE = 'aiguillage.mail-refused';
export const FILE_REFUSAL_NOTICE = 'aiguillage.file-refused';

const refusedSchema = z.object({
  notice: z.literal(REFUSAL_NOTICE),
  mailbox: z.string(),
  folder: z.string(),
  uid: z.number().int(),
  uidValidity: z.string().nullable(),
  reason: z.enum(['too-large', 'empty', 'rejected']),
  detail: z.string(),
  messageId: z.string().nullable(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  receivedAt: z.string().nullable(),
  size: z.number().nullable(),
});
export type RefusedMessage = z.infer<typeof refusedSchema>;

const refusedFileSchema = z.object({
  notice: z.literal(FILE_REFUSAL_NOTICE),
  folder: z.string(),
  name: z.string(),
  movedTo: z.string(),
  size: z.number(),
  maxBytes: z.number(),
});
export type RefusedFile = z.infer<typeof refusedFileSchema>;

/** Recognised by its first bytes (parsers/sniff.ts): `{ "notice": "aiguillage.mail-refused"`. */
export function isNotice(head: string): boolean {
  return /^\{\s*"notice"\s*:\s*"aiguillage\./.test(head);
}

const CODES: Record<RefusedMessage['reason'], string> = { 'too-large': 'MAIL_TOO_LARGE', empty: 'MAIL_EMPTY', rejected: 'MAIL_REJECTED' };
const WHY: Record<RefusedMessage['reason'], string> = {
  'too-large': 'is too large to be read',
  empty: 'is empty',
  rejected: 'could not be stored',
};

/** Never an order: one problem saying which message was not read, why, and where it waits. */
export const parseNotice: Parser = async (bytes, ctx) => {
  const name = ctx.meta.fileName;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return { drafts: [], problems: [problem('NOTICE_UNREADABLE', `${name}: not valid JSON (${(e as Error).message})`, 'error', name)] };
  }
  const file = refusedFileSchema.safeParse(parsed);
  if (file.success) {
    const f = file.data;
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return {
      drafts: [],
      problems: [problem('FILE_TOO_LARGE', `the file ${f.name} dropped in ${f.folder} is ${mb(f.size)}, over the ${mb(f.maxBytes)} limit: it was not read and waits in ${f.movedTo}`, 'error', f.movedTo)],
    };
  }
  const r = refusedSchema.safeParse(parsed);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { drafts: [], problems: [problem('NOTICE_UNREADABLE', `${name}: field ${i.path.join('.') || '(root)'}: ${i.message}`, 'error', name)] };
  }
  const m = r.data;
  const what = `the e-mail${m.subject ? ` « ${m.subject} »` : ''}${m.from ? ` from ${m.from}` : ''}${m.size ? ` (${Math.round(m.size / 1024)} kB)` : ''}`;
  const where = `${m.mailbox} / ${m.folder}, UID ${m.uid}${m.uidValidity ? ` (UIDVALIDITY ${m.uidValidity})` : ''}`;
  return {
    drafts: [],
    problems: [problem(CODES[m.reason], `${what} ${WHY[m.reason]} (${m.detail}): it was not read and waits in the IMAP folder ${m.folder} of mailbox ${m.mailbox} for someone to open it${m.messageId ? `; Message-ID ${m.messageId}` : ''}`, 'error', where)],
  };
};
