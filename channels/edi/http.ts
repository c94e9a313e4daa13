// POST /edi/:partner — the partners' HTTP transport. The API key is checked before the body is
// read; the answer body is the acknowledgment itself (997 / TA1 / CONTRL), so that a partner's
// EDI translator can store it as it would a file from its VAN.
import type { FastifyInstance as HttpServer, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { verifyApiKey, type Partner } from './partners';
import { ACK_MEDIA_TYPE, ackBody, receiveEdi, type Receipt, type ReceiveDeps } from './receive';

export interface EdiHttpDeps extends ReceiveDeps {
  log: Logger;
}

/** The key as sent: `X-API-Key: …` or `Authorization: Bearer …`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | null {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+\S/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
  return null;
}

// A reused control number answers 200: the rejection is in the TA1/CONTRL body, where the partner's
// translator reads it; an HTTP error would only make their client send the same file again.
const STATUS: Record<Receipt['outcome'], number> = { accepted: 200, duplicate: 200, 'control-number-reused': 200, 'acknowledgment-received': 202, unreadable: 422, 'wrong-sender': 403 };

/** Key checks (scrypt, about 60 ms each) running at once; more callers get 503 at once instead of queueing. */
export const MAX_KEY_CHECKS = 4;

export function registerEdiEndpoints(app: HttpServer, deps: EdiHttpDeps, maxKeyChecks = MAX_KEY_CHECKS): void {
  let checking = 0;
  const byId = new Map(deps.partners.filter((p) => p.transport.http).map((p) => [p.id, p]));
  const largest = Math.max(1, ...[...byId.values()].map((p) => p.transport.http!.maxBytes));

  const partnerOf = (req: FastifyRequest): Partner | undefined => byId.get((req.params as { partner: string }).partner);

  // Its own scope: the exact bytes whatever the declared type (text/plain would otherwise be decoded as UTF-8).
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    routes(scope as unknown as HttpServer);
  });

  function routes(scope: HttpServer): void {
    scope.post(
      '/edi/:partner',
      {
        bodyLimit: largest,
        // Before the body is read: a stranger's upload is refused without being buffered.
        onRequest: async (req: FastifyRequest, reply: FastifyReply) => {
          const id = (req.params as { partner: string }).partner;
          const partner = partnerOf(req);
          if (!partner) return reply.status(404).send({ error: `no EDI partner "${id}" receives over HTTP` });
          const key = presentedKey(req.headers);
          if (key && checking >= maxKeyChecks) return reply.status(503).header('retry-after', '1').send({ error: 'too many uploads being checked at once: retry in a second' });
          let ok = false;
          if (key) {
            checking++;
            try {
              ok = await verifyApiKey(key, partner.transport.http!.apiKeyHash);
            } finally {
              checking--;
            }
          }
          if (!ok) {
            deps.log.warn({ partner: id, ip: req.ip }, 'EDI upload with a missing or wrong API key');
            return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong API key (X-API-Key: … or Authorization: Bearer …)' });
          }
          const declared = Number(req.headers['content-length']);
          if (Number.isFinite(declared) && declared > partner.transport.http!.maxBytes) return reply.status(413).send({ error: `the body is ${declared} bytes; partner ${id} may send at most ${partner.transport.http!.maxBytes}` });
        },
      },
      async (req, reply) => {
        const partner = partnerOf(req)!;
        const body = req.body as Buffer | { raw?: Buffer } | undefined;
        const bytes = Buffer.isBuffer(body) ? body : body?.raw;
        if (!bytes || bytes.length === 0) return reply.status(400).send({ error: 'empty body: send the EDI interchange bytes' });
        // Chunked uploads carry no Content-Length: the limit is checked again on what arrived.
        if (bytes.length > partner.transport.http!.maxBytes) return reply.status(413).send({ error: `the body is ${bytes.length} bytes; partner ${partner.id} may send at most ${partner.transport.http!.maxBytes}` });
        const q = req.query as { fileName?: string };
        const r = await receiveEdi(bytes, partner, { fileName: q.fileName ?? `${partner.id}-${new Date().toISOString().replace(/[:.]/g, '')}.edi`, receivedAt: new Date().toISOString(), via: 'http' }, deps);
        void reply.header('x-aiguillage-document', r.sha256).header('x-aiguillage-outcome', r.outcome);
        if (r.controlNumber) void reply.header('x-aiguillage-control-number', r.controlNumber);
        if (r.acks.length > 0) return reply.status(STATUS[r.outcome]).type(ACK_MEDIA_TYPE[r.standard ?? partner.standard]).send(ackBody(r.acks));
        return reply.status(STATUS[r.outcome]).send({
          outcome: r.outcome,
          sha256: r.sha256,
          controlNumber: r.controlNumber,
          problems: r.problems.map((p) => ({ code: p.code, message: p.message, where: p.where })),
        });
      },
    );
  }
}
