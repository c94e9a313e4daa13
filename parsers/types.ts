// What every parser returns: drafts in the sender's terms (resolved to our master data by
// domain/resolve.ts) and the problems it met, each saying where.
import type { DocumentMeta, Problem } from '../domain/order';
import type { MasterData } from '../domain/masterdata';
import type { DraftOrder } from '../domain/resolve';
import type { DocumentResult } from '../domain/order';

export interface ParseContext {
  meta: DocumentMeta;
  masterData: MasterData;
  /** Extract a document found inside this one (an email attachment, a forwarded message). */
  extractNested(bytes: Buffer, fileName: string, context?: Record<string, string>): Promise<DocumentResult>;
  /** Nesting depth, so that a message that attaches itself cannot loop. */
  depth: number;
}

export interface ParseOutput {
  drafts: DraftOrder[];
  problems: Problem[];
  /** Orders already resolved by a nested extraction (email attachments). */
  resolved?: DocumentResult[];
}

export type Parser = (bytes: Buffer, ctx: ParseContext) => Promise<ParseOutput>;

/**
 * A reader could not finish because the machine was too busy (a helper program stopped at its time
 * limit again and again): no verdict on the document. extractDocument lets it through instead of
 * reporting the document unreadable; its message says to read it again once the load is down.
 */
export class ReaderBusyError extends Error {}
