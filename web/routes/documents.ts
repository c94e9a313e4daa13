// A document's bytes, pages and attachments, only through an order the user may see and that the
// document belongs to; served with a type chosen from the bytes, never the sender's.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../../http/types';
import { emailAttachment, imagePagePng, pdfPagePng, servedAs } from '../document';
import { type WorkspaceContext } from './context';
import { orderFor } from './orders';

const attachmentName = (n: string) => n.replace(/[^\w.\- ]+/g, '_');

/** The document of the request's order, or a reply already sent (sign-in, 404). */
export async function docOf(ctx: WorkspaceContext, req: FastifyRequest, reply: FastifyReply) {
  const { store, need } = ctx;
  const a = need(req, reply);
  if (!a) return null;
  const state = await orderFor(ctx, req, reply, a);
  if (!state) return null;
  const { sha } = req.params as { sha: string };
  const doc = state.documents.find((d) => d.sha256 === sha);
  if (!doc || !store.has(sha)) {
    void reply.status(404).send({ error: `document ${sha} is not part of order ${state.orderId}` });
    return null;
  }
  return { doc, bytes: await store.bytes(sha) };
}

/** Stored bytes with a type we chose from them (never the sender's), unsniffable and sandboxed. */
export function sendDocument(reply: FastifyReply, bytes: Buffer, fileName: string) {
  const as = servedAs(bytes);
  return reply
    .header('content-type', as.contentType)
    .header('content-disposition', `${as.disposition}; filename="${attachmentName(fileName)}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', as.csp)
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

export function registerDocumentRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  app.get('/orders/:id/documents/:sha', async (req, reply) => {
    const d = await docOf(ctx, req, reply);
    if (!d) return reply;
    return sendDocument(reply, d.bytes, d.doc.fileName);
  });
  app.get('/orders/:id/documents/:sha/page/:n', async (req, reply) => {
    const d = await docOf(ctx, req, reply);
    if (!d) return reply;
    const n = Number.parseInt((req.params as { n: string }).n, 10);
    try {
      const page = Math.max(0, n - 1);
      const png = d.doc.mediaType === 'application/pdf' ? await pdfPagePng(d.bytes, page) : await imagePagePng(d.bytes, page);
      return reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600').send(png);
    } catch (e) {
      return reply.status(422).send({ error: `page ${n} of ${d.doc.fileName} cannot be shown: ${(e as Error).message}` });
    }
  });
  app.get('/orders/:id/documents/:sha/attachments/:i', async (req, reply) => {
    const d = await docOf(ctx, req, reply);
    if (!d) return reply;
    const att = await emailAttachment(d.bytes, Number((req.params as { i: string }).i)).catch(() => null);
    if (!att) return reply.status(404).send({ error: 'no such attachment' });
    if (servedAs(att.content).contentType === 'image/tiff') return sendDocument(reply, await imagePagePng(att.content, 0), `${att.fileName}.png`);
    return sendDocument(reply, att.content, att.fileName);
  });
}
