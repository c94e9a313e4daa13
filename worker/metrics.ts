// Prometheus metrics (prom-client): what arrives, what is read, where orders stand, how long reading
// takes. Counters live in the process that does the work (under `start`, one process); the SLA and
// status gauges are read from the read model at scrape time, so they are right in any process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance as HttpServer } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { ReadModel } from '../storage/read-model';
import { slaStateOf } from '../domain/sla';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'aiguillage_process_' });

export const metrics = {
  received: new Counter({ name: 'aiguillage_documents_received_total', help: 'Documents accepted for intake, by channel (the same bytes twice count once)', labelNames: ['channel'] as const, registers: [registry] }),
  extracted: new Counter({ name: 'aiguillage_documents_extracted_total', help: 'Documents read, by kind of file and outcome (orders found or none)', labelNames: ['kind', 'outcome'] as const, registers: [registry] }),
  quarantined: new Counter({ name: 'aiguillage_documents_quarantined_total', help: 'Documents quarantined, by reason (problem code)', labelNames: ['reason'] as const, registers: [registry] }),
  orders: new Counter({ name: 'aiguillage_orders_total', help: 'Order state changes: routed, needs-review, entered, touchless (entered by the ERP without a person)', labelNames: ['event'] as const, registers: [registry] }),
  extraction: new Histogram({ name: 'aiguillage_extraction_duration_seconds', help: 'Time to read one document, by kind of file', labelNames: ['kind'] as const, buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] }),
  ocr: new Histogram({ name: 'aiguillage_ocr_duration_seconds', help: 'Time to read one scanned or faxed document (OCR included)', buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120], registers: [registry] }),
};
// Every event shows from the first scrape, at 0 (touchless stays 0 until the ERP connector lands).
for (const event of ['routed', 'needs-review', 'entered', 'touchless']) metrics.orders.inc({ event }, 0);

/** Kinds of file whose reading is OCR (sniff's names). */
export const OCR_KINDS = new Set(['tiff', 'png', 'jpeg']);

/** The order events counted, from the last entry of an order's history. */
export const COUNTED_ORDER_EVENTS = new Set(['routed', 'needs-review', 'entered', 'touchless']);

let readModelGauges: ReadModel | null = null;
const slaGauge = new Gauge({
  name: 'aiguillage_sla_orders',
  help: 'Open orders by team and SLA state (at-risk, late), read from the read model at scrape time',
  labelNames: ['team', 'state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    if (!readModelGauges) return;
    const now = new Date();
    for (const s of readModelGauges.activeSince(now.toISOString())) {
      if (s.sla.enteredAt || !['received', 'extracted', 'needs-review', 'routed'].includes(s.status)) continue;
      const state = slaStateOf(s, now);
      if (state === 'at-risk' || state === 'late') this.inc({ team: s.route?.team ?? 'unrouted', state });
    }
  },
});
new Gauge({
  name: 'aiguillage_orders',
  help: 'Orders by status in the read model',
  labelNames: ['status'] as const,
  registers: [registry],
  collect() {
    this.reset();
    if (!readModelGauges) return;
    for (const [status, n] of Object.entries(readModelGauges.countByStatus())) this.set({ status }, n);
  },
});
void slaGauge;

/** Where the Temporal SDK's own Prometheus exporter listens (the Rust core, its own port). */
export function temporalMetricsAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!metricsEnabled(env)) return null;
  return env.AIGUILLAGE_TEMPORAL_METRICS_ADDRESS || '127.0.0.1:9464';
}

export function metricsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.AIGUILLAGE_METRICS === '1' || env.AIGUILLAGE_METRICS === 'true';
}

/**
 * GET /metrics: our metrics, then the Temporal SDK's (forwarded from the core's exporter when it
 * runs in this process), so that one scrape sees both. Off unless AIGUILLAGE_METRICS=1; behind the
 * API token when one is set.
 */
export function registerMetrics(app: HttpServer, opts: { readModel: ReadModel; apiToken: string | null; temporalMetrics?: string | null }): void {
  readModelGauges = opts.readModel;
  const expected = opts.apiToken ? Buffer.from(`Bearer ${opts.apiToken}`) : null;
  app.get('/metrics', async (req, reply) => {
    const got = Buffer.from(req.headers.authorization ?? '');
    if (expected && (got.length !== expected.length || !timingSafeEqual(got, expected))) return reply.status(401).send({ error: 'missing or wrong API token (Authorization: Bearer …)' });
    let text = await registry.metrics();
    if (opts.temporalMetrics) {
      try {
        const r = await fetch(`http://${opts.temporalMetrics}/metrics`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) text += `\n${await r.text()}`;
      } catch {
        text += `\n# the Temporal SDK metrics at ${opts.temporalMetrics} did not answer\n`;
      }
    }
    return reply.type(registry.contentType).send(text);
  });
}
