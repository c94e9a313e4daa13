// Side effects the workflows call. Built by a factory from their dependencies, so tests hand in real
// ones (a temporary store, a real Temporal client) without module mocking.
import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { sniff } from '../parsers/sniff';
import { COUNTED_ORDER_EVENTS, metrics, OCR_KINDS } from '../worker/metrics';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { MasterData } from '../domain/masterdata';
import type { Order, Problem, Channel } from '../domain/order';
import type { ExtractedOrder, Extraction } from '../parsers/index';
import { sharedExtractRunner } from './extract-runner';
import { deduplicate, type DedupResult } from '../domain/dedup';
import { slimOrder, type Placement, type Revision } from '../domain/customer-dedup';
import { detectAnomalies } from '../domain/anomalies';

/** Reader problems that anomaly detection restates in the agents' words. */
const COVERED_BY_ANOMALIES = new Set(['UNKNOWN_CUSTOMER', 'MISSING_PO', 'UNKNOWN_ITEM', 'MISSING_QUANTITY', 'NO_LINES']);
import type { DocumentMeta } from '../domain/order';
import { customerWorkflowId, documentReceived, orderIdFromWorkflowId, orderWorkflowId, orderWorkflowIdFor, placeDocumentUpdate, orderStateQuery, splitDocumentUpdate, ORDER_WORKFLOW, type OrderWorkflow } from '../workflows/definitions';
import { type OrderDocument, type OrderState, type RouteDecision } from '../domain/order-model';
import type { customerWorkflow } from '../workflows/customer';
import type { DocumentStore } from '../storage/document-store';
import { perKeyLimit } from './per-key-limit';
import type { ReadModel } from '../storage/read-model';
import { slaConfig, type SlaConfig } from '../domain/sla';
import { leadTarget, slaAlertMail, type SlaAlertFacts } from '../domain/sla-alert';
import { createErpActivities } from './erp';
import type { ErpConnector } from '../erp/connector';

/** What the routeOrder activity gets from the order workflow (routing-rules/router.ts decides). */
export interface OrderToRoute {
  orderId: string;
  order: Order;
  channels: Channel[];
  problems: Problem[];
}

/** An order passing its at-risk or late mark, as the order workflow reports it. */
export type SlaAlert = SlaAlertFacts;

export interface ActivityDeps {
  store: DocumentStore;
  /** Current master data (reloaded when its files change). */
  masterData: () => MasterData;
  client: Client;
  taskQueue: string;
  readModel: ReadModel;
  log: Logger;
  /** Routing decision; until rules are configured everything goes to the default team. */
  route?: (input: OrderToRoute) => RouteDecision | Promise<RouteDecision>;
  retentionDays?: number;
  /** SLA settings handed to every new order workflow. */
  sla?: Partial<SlaConfig>;
  /** A webhook every at-risk and late alert is posted to (all teams); logged in any case. */
  slaWebhook?: string | null;
  /** The team lead of a team in the rules in force (teams.yaml `lead`: an e-mail address or a webhook URL). */
  teamLead?: (team: string) => string | null;
  /** Sends an e-mail (SMTP/LMTP); absent: e-mails to leads are logged, not sent. */
  sendMail?: (m: { to: string; subject: string; text: string; messageId: string }) => Promise<void>;
  /** Links in alert e-mails. */
  publicUrl?: string | null;
  /** Order confirmation to an EDI partner (855 / ORDRSP) once the order is routed; absent: none. */
  confirmOrder?: (state: OrderState) => Promise<void>;
  /** Reads a document; default: the readers in child processes, under a deadline (extract-runner.ts). Tests hand in one that throws or hangs. */
  extractDocument?: (bytes: Buffer, meta: DocumentMeta, masterData: MasterData) => Promise<Extraction>;
  /** One reading attempt past this is abandoned and counts as a failure (default 10 minutes). */
  extractDeadlineMs?: number;
  /** The ERP connector config/erp.yaml chose (erp/); absent: manual entry only. */
  erp?: ErpConnector | null;
}

const EXTRACT_DEADLINE_MS = 10 * 60_000;

interface StoredExtraction {
  extracted: ExtractedOrder[];
  problems: Problem[];
}

export const DEFAULT_ROUTE: RouteDecision = { team: 'ADV', agent: null, ruleId: 'default', rulesVersion: 'none', reason: 'aucune règle de routage configurée : équipe ADV par défaut' };

/** Updates in flight per customer coordinator from one worker process (Temporal's default cap is 10). */
const COORDINATOR_UPDATES_IN_FLIGHT = 6;

export function createActivities(deps: ActivityDeps) {
  const { store, client, log } = deps;
  const toCoordinator = perKeyLimit(COORDINATOR_UPDATES_IN_FLIGHT);
  /** Who splits a probable duplicate off when a later document makes it doubtful (the order's history shows it). */
  const REVISED_BY = 'aiguillage (dédoublonnage)';
  /** Half-seconds to wait for a probable duplicate to reach its first order before the activity is retried. */
  const REVISION_WAIT_ATTEMPTS = 60;

  /** What the agent must check, in their words (anomalies replace the reader's own codes for the same facts). */
  /**
   * A customer's orders, read once per delivered order: anomalies' history (the first 200 of
   * it) comes from it (dedup's candidates are the customer coordinator's own memory). Parsing them is most of what
   * delivering an order costs once a customer has a history (bench/e2e.ts).
   */
  function customerOrders(customerId: string | null): () => OrderState[] {
    let cached: OrderState[] | null = null;
    return () => (cached ??= customerId ? deps.readModel.list({ customerId, limit: 500 }) : []);
  }

  function anomaliesOf(order: Order, readProblems: Problem[], dedup?: Pick<DedupResult, 'decision' | 'matchOrderId'>, listed: () => OrderState[] = customerOrders(order.customer.id)): Problem[] {
    const md = deps.masterData();
    const products = order.lines.flatMap((l) => {
      const p = l.sku ? md.product(l.sku) : undefined;
      return p ? [{ sku: p.sku, description: p.description, unit: p.unit, listPrice: p.listPrice }] : [];
    });
    const history: Record<string, number[]> = {};
    if (order.customer.id) {
      for (const past of listed().slice(0, 200)) {
        if (past.poNumber === order.poNumber) continue;
        for (const l of past.order.lines) if (l.sku && l.quantity !== null) (history[l.sku] ??= []).push(l.quantity);
      }
    }
    const report = detectAnomalies({
      order,
      problems: readProblems.filter((p) => !COVERED_BY_ANOMALIES.has(p.code)),
      products,
      customerInMasterData: Boolean(order.customer.id && md.customer(order.customer.id)),
      history,
      dedup: dedup ? { decision: dedup.decision, matchOrderId: dedup.matchOrderId } : undefined,
    });
    return report.anomalies.map((a) => ({ code: a.code, message: a.message, severity: a.severity, where: a.field }));
  }

  /**
   * Where an order goes. A known customer's document is placed by the customer's coordinator
   * (workflows/customer.ts, update-with-start): one decision at a time per customer, remembered, so
   * the same again (a retry of this activity) gets the same answer. Without a customer nothing can
   * be matched: the document is an order of its own (keyed by its hash), as before.
   */
  async function findTarget(order: Order, meta: DocumentMeta, sha256: string, index: number): Promise<{ workflowId: string; placement?: Placement; decision?: Pick<DedupResult, 'decision' | 'matchOrderId'> }> {
    const customerId = order.customer.id;
    if (!customerId) {
      const r = deduplicate({ orderId: '', order, channel: meta.channel, receivedAt: meta.receivedAt }, []);
      return { workflowId: orderWorkflowIdFor(order, sha256, index), decision: r };
    }
    const placement = await toCoordinator(customerId, () => client.workflow.executeUpdateWithStart(placeDocumentUpdate, {
      args: [{ sha256, index, channel: meta.channel, receivedAt: meta.receivedAt, order: slimOrder(order) }],
      startWorkflowOperation: new WithStartWorkflowOperation<typeof customerWorkflow>('customerWorkflow', {
        workflowId: customerWorkflowId(customerId, deps.taskQueue),
        taskQueue: deps.taskQueue,
        args: [{ customerId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    }));
    if (placement.decision.matchOrderId) log.info({ sha256, orderId: placement.orderKey, role: placement.role, score: placement.decision.score }, 'document recognised as part of an existing order');
    return { workflowId: orderWorkflowId(placement.orderKey), placement, decision: placement.decision };
  }

  /**
   * A probable duplicate that a later document made doubtful (domain/customer-dedup.ts reviseProbable)
   * becomes an order of its own, as an agent's "ce n'est pas un doublon" would make it. Its own
   * delivery may still be on its way to the first order: wait for it there, or find it already in its
   * own order (a retried delivery of it is placed there directly). Idempotent: a retry finds it split.
   */
  async function applyRevision(r: Revision): Promise<void> {
    const holds = (s: OrderState | null) => s?.documents.find((x) => x.sha256 === r.sha256 && x.index === r.index);
    const state = (key: string) => client.workflow.getHandle(orderWorkflowId(key)).query(orderStateQuery).catch(() => null);
    for (let attempt = 1; ; attempt++) {
      const d = holds(await state(r.fromOrderKey));
      if (d?.role === 'split' || holds(await state(r.toOrderKey))) return;
      if (d) {
        try {
          await client.workflow.getHandle(orderWorkflowId(r.fromOrderKey)).executeUpdate(splitDocumentUpdate, { args: [{ by: REVISED_BY, sha256: r.sha256, index: r.index, reason: r.reason }] });
          log.info({ sha256: r.sha256, index: r.index, from: r.fromOrderKey, to: r.toOrderKey }, 'probable duplicate split off: a later document made it doubtful');
          return;
        } catch (e) {
          if (holds(await state(r.fromOrderKey))?.role === 'split') return;
          throw e;
        }
      }
      if (attempt >= REVISION_WAIT_ATTEMPTS) throw new Error(`document ${r.sha256} #${r.index + 1} has not reached order ${r.fromOrderKey} yet: it cannot be split off (retried by Temporal)`);
      heartbeat();
      await new Promise((res) => setTimeout(res, 500));
    }
  }

  /** Hands a document to its order workflow, starting it if needed (signal-with-start: idempotent). */
  function toOrderWorkflow(workflowId: string, doc: OrderDocument) {
    return client.workflow.signalWithStart<OrderWorkflow, [OrderDocument]>(ORDER_WORKFLOW, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ retentionDays: deps.retentionDays, sla: deps.sla }],
      signal: documentReceived,
      signalArgs: [doc],
    });
  }

  /**
   * One alert attempt. When it cannot be delivered: one log line (endpoint and reason) and a short,
   * benign failure that Temporal retries without the SDK's stack dump.
   */
  async function deliverAlert(endpoint: string, alert: SlaAlert, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (e) {
      const reason = shortReason(e);
      log.warn({ endpoint, reason, orderId: alert.orderId, kind: alert.kind, attempt: attemptNumber() }, 'alert not delivered');
      throw ApplicationFailure.create({ message: `alert to ${endpoint} not delivered: ${reason}`, type: 'AlertNotDelivered', category: ApplicationFailureCategory.BENIGN });
    }
  }

  return {
    ...createErpActivities({ erp: deps.erp ?? null, log }),

    /** Read the document and keep what was extracted beside it; returns only counts (payload limits). */
    async extract({ sha256 }: { sha256: string }): Promise<{ orderCount: number; problems: Problem[] }> {
      const meta = await store.meta(sha256);
      const bytes = await store.bytes(sha256);
      const beat = setInterval(() => heartbeat(), 10_000);
      const deadlineMs = deps.extractDeadlineMs ?? EXTRACT_DEADLINE_MS;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading took more than ${deadlineMs / 1000} s: abandoned`)), deadlineMs);
      });
      const kind = sniff(bytes);
      const started = performance.now();
      try {
        // The runner kills a reader at the document's own deadline (EXTRACTION_TIMEOUT); the race is the last net.
        const read = deps.extractDocument ?? ((b: Buffer, m: DocumentMeta, md: MasterData) => sharedExtractRunner().run(b, m, md));
        const ex = await Promise.race([read(bytes, meta, deps.masterData()), deadline]);
        const seconds = (performance.now() - started) / 1000;
        metrics.extraction.observe({ kind }, seconds);
        if (OCR_KINDS.has(kind)) metrics.ocr.observe(seconds);
        metrics.extracted.inc({ kind, outcome: ex.extracted.length > 0 ? 'orders' : 'none' });
        const docProblems = ex.result.problems.filter((p) => !ex.extracted.some((e) => e.problems.includes(p)));
        await store.putResult(sha256, { extracted: ex.extracted, problems: ex.result.problems } satisfies StoredExtraction);
        log.info({ sha256, fileName: meta.fileName, orders: ex.extracted.length, problems: ex.result.problems.length }, 'document extracted');
        return { orderCount: ex.extracted.length, problems: (ex.extracted.length === 0 ? ex.result.problems : docProblems).slice(0, 50) };
      } finally {
        clearInterval(beat);
        clearTimeout(timer);
      }
    },

    /** Hand orders [from, to) of a document to their order workflows (signal-with-start: idempotent). */
    async deliverOrders({ sha256, from, to }: { sha256: string; from: number; to: number }) {
      const meta = await store.meta(sha256);
      const { extracted } = await store.result<StoredExtraction>(sha256);
      // A document retried out of the quarantine leaves it once its orders are on their way.
      if (from === 0) deps.readModel.releaseQuarantine(sha256, new Date().toISOString());
      const out: { orderWorkflowId: string; poNumber: string | null; customerId: string | null }[] = [];
      for (let i = from; i < to && i < extracted.length; i++) {
        const { order, problems: readProblems } = extracted[i]!;
        if (order.provenance.signals.includes('test')) {
          // A partner's test interchange is read and acknowledged like any other, but never becomes work.
          const sandboxId = `sandbox-${orderWorkflowIdFor(order, sha256, i).replace(/^order-/, '')}`;
          deps.readModel.recordSandbox({ id: sandboxId, sha256, fileName: meta.fileName, receivedAt: meta.receivedAt, order, problems: readProblems });
          log.info({ sha256, sandboxId, poNumber: order.poNumber }, 'test order kept in the sandbox');
          out.push({ orderWorkflowId: sandboxId, poNumber: order.poNumber, customerId: order.customer.id });
          continue;
        }
        const listed = customerOrders(order.customer.id);
        const target = await findTarget(order, meta, sha256, i);
        const problems = anomaliesOf(order, readProblems, target.decision, listed);
        const workflowId = target.workflowId;
        const p = target.placement;
        const doc: OrderDocument = {
          document: { sha256, fileName: meta.fileName, mediaType: meta.mediaType, channel: meta.channel, receivedAt: meta.receivedAt },
          index: i,
          order,
          problems,
          ...(p?.decision.matchOrderId && p.evidence.length ? { matchEvidence: p.evidence } : {}),
          ...(p ? { decision: p.role } : {}),
          ...(p?.probable ? { probable: true as const } : {}),
        };
        await toOrderWorkflow(workflowId, doc);
        for (const r of p?.revisions ?? []) await applyRevision(r);
        log.info({ sha256, workflowId, orderId: orderIdFromWorkflowId(workflowId), poNumber: order.poNumber }, 'order delivered');
        out.push({ orderWorkflowId: workflowId, poNumber: order.poNumber, customerId: order.customer.id });
        if (i % 10 === 0) heartbeat();
      }
      return out;
    },

    /**
     * An agent split a document off the order it was attached to ("ce n'est pas un doublon"): it
     * becomes its own order, from the extraction kept beside it, routed like any other. The
     * workflow ID is the document's own (the one a "kept apart" document gets), so a retry or a
     * second click signals the same workflow, which ignores a document it already holds.
     */
    async startSplitOrder({ sha256, index, orderKey: key, fromOrderId, by, reason }: { sha256: string; index: number; orderKey: string; fromOrderId: string; by: string; reason: string | null }): Promise<{ orderWorkflowId: string }> {
      const meta = await store.meta(sha256);
      const { extracted } = await store.result<StoredExtraction>(sha256);
      const ex = extracted[index];
      if (!ex) throw new Error(`document ${sha256} holds no order ${index + 1} (it has ${extracted.length}): cannot split it off ${fromOrderId}`);
      const doc: OrderDocument = {
        document: { sha256, fileName: meta.fileName, mediaType: meta.mediaType, channel: meta.channel, receivedAt: meta.receivedAt },
        index,
        order: ex.order,
        problems: anomaliesOf(ex.order, ex.problems),
        splitFrom: { orderId: fromOrderId, by, reason },
      };
      const workflowId = orderWorkflowId(key);
      await toOrderWorkflow(workflowId, doc);
      log.info({ sha256, workflowId, orderId: key, fromOrderId, by }, 'document split off into its own order');
      return { orderWorkflowId: workflowId };
    },

    /**
     * Nothing usable in the document, or its intake failed: keep it, visibly, with the reason. Made
     * to succeed when little else does: what the workflow knows of the document stands in for
     * unreadable metadata, and the read model (what people see) is written before the store's record.
     */
    async quarantine({ sha256, problems, document }: { sha256: string; problems: Problem[]; document?: Pick<DocumentMeta, 'fileName' | 'channel' | 'receivedAt'> }): Promise<void> {
      const meta = await store.meta(sha256).catch(() => null);
      const about = meta ?? document ?? { fileName: sha256, channel: 'api', receivedAt: new Date().toISOString() };
      const rec = { sha256, fileName: about.fileName, channel: about.channel, receivedAt: about.receivedAt, quarantinedAt: new Date().toISOString(), problems };
      deps.readModel.recordQuarantine(rec);
      for (const reason of new Set(problems.filter((p) => p.severity === 'error').map((p) => p.code))) metrics.quarantined.inc({ reason });
      if (!problems.some((p) => p.severity === 'error')) metrics.quarantined.inc({ reason: 'NO_ORDER' });
      await store.quarantine(rec);
      log.warn({ sha256, fileName: about.fileName, reasons: problems.map((p) => p.code) }, 'document quarantined');
    },

    async routeOrder(input: OrderToRoute): Promise<RouteDecision> {
      const decision = deps.route ? await deps.route(input) : DEFAULT_ROUTE;
      log.info({ orderId: input.orderId, team: decision.team, agent: decision.agent, ruleId: decision.ruleId }, 'order routed');
      return decision;
    },

    /** Confirm an EDI order to its partner (855 / ORDRSP) when the partner asked for confirmations. */
    async confirmOrder(state: OrderState): Promise<void> {
      if (deps.confirmOrder) await deps.confirmOrder(state);
    },

    /** Tell the team lead an order is at risk or late (webhook when configured; always logged). */
    async notifySla(alert: SlaAlert): Promise<void> {
      log.warn({ ...alert }, alert.kind === 'at-risk' ? 'order at risk of missing its SLA' : 'order late');
      if (!deps.slaWebhook) return;
      await deliverAlert(deps.slaWebhook, alert, () => postJson(deps.slaWebhook!, { event: `sla.${alert.kind}`, ...alert }));
    },

    /**
     * The team lead hears of it too, where teams.yaml says (`lead`): a webhook URL is posted the
     * alert, an e-mail address gets a message in French. Apart from notifySla so that a dead lead
     * endpoint retries on its own, without posting the global webhook again.
     */
    async alertTeamLead(alert: SlaAlert): Promise<'webhook' | 'email' | 'none'> {
      const lead = alert.team ? (deps.teamLead?.(alert.team) ?? null) : null;
      const target = leadTarget(lead);
      if (!target) {
        if (lead) log.warn({ team: alert.team, lead }, 'team lead is neither an e-mail address nor an http(s) URL: not alerted');
        return 'none';
      }
      if (target.kind === 'webhook') {
        await deliverAlert(target.to, alert, () => postJson(target.to, { event: `sla.${alert.kind}`, to: 'team-lead', ...alert }));
        return 'webhook';
      }
      const mail = slaAlertMail(alert, { timeZone: slaConfig(deps.sla).timeZone, publicUrl: deps.publicUrl ?? null });
      if (!deps.sendMail) {
        log.warn({ team: alert.team, to: target.to, subject: mail.subject }, 'no SMTP configured (AIGUILLAGE_SMTP_URL): the team lead was not mailed');
        return 'none';
      }
      await deliverAlert(`mailto:${target.to}`, alert, () => deps.sendMail!({ to: target.to, ...mail }));
      log.info({ team: alert.team, to: target.to, orderId: alert.orderId, kind: alert.kind }, 'team lead alerted by e-mail');
      return 'email';
    },

    async publishOrder(state: OrderState): Promise<void> {
      const event = state.history[state.history.length - 1]?.event;
      if (deps.readModel.upsert(state) && event && COUNTED_ORDER_EVENTS.has(event)) metrics.orders.inc({ event });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
}

/** The reason an endpoint failed, in one line: fetch hides it in `cause` (ENOTFOUND host, ECONNREFUSED…). */
function shortReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` ${cause.message}` : ''}` : (cause?.message ?? (e as Error).message);
  return text.split('\n')[0]!.slice(0, 200);
}

function attemptNumber(): number | null {
  try {
    return Context.current().info.attempt;
  } catch {
    return null;
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Called outside an activity (tests of the factory): nothing to tell.
  }
}
