// The quarantine as people see it (CLI, API, workspace): documents quarantined by their intake, and
// intakes that ended without a word (failed, terminated or timed out: before intakes quarantined
// their failures, or stopped by hand in Temporal) — and the retry of one once its cause is fixed.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DocumentStore, QuarantineRecord } from '../storage/document-store';
import type { ReadModel } from '../storage/read-model';
import { intakeDocument } from '../workflows/intake';
import { intakeWorkflowId, type IntakeResult } from '../workflows/definitions';

export interface QuarantineDeps {
  store: DocumentStore;
  readModel: ReadModel;
  client: Client;
  taskQueue: string;
  log: Logger;
}

/** Why a retry was refused; `status` is the HTTP answer. */
export class RetryRefused extends Error {
  readonly status: 404 | 409;
  constructor(
    readonly kind: 'unknown' | 'running' | 'delivered',
    message: string,
  ) {
    super(message);
    this.status = kind === 'unknown' ? 404 : 409;
  }
}

export interface RetryStarted {
  status: 'started';
  sha256: string;
  intakeWorkflowId: string;
  fileName: string;
}

/**
 * Start the intake of a stored document again. Same workflow ID (doc-<sha256>), allowed only once
 * the previous run is closed and did not deliver: a retry while one runs is refused, and so is one
 * of a document already delivered. The quarantine entry records who retried and when.
 */
export async function retryIntake(deps: QuarantineDeps, sha256: string, by: string): Promise<RetryStarted> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RetryRefused('unknown', `"${sha256.slice(0, 80)}" is not a document hash (64 hexadecimal characters)`);
  if (!deps.store.has(sha256)) throw new RetryRefused('unknown', `no document ${sha256} in the store`);
  const workflowId = intakeWorkflowId(sha256);
  const handle = deps.client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING') throw new RetryRefused('running', `document ${sha256.slice(0, 12)}… is being read right now (intake ${workflowId} is running): wait for it to end`);
    if (d.status.name === 'COMPLETED') {
      const r = (await handle.result()) as IntakeResult;
      if (r.status === 'delivered') throw new RetryRefused('delivered', `document ${sha256.slice(0, 12)}… was already delivered (${r.orders.length} order(s)): nothing to retry`);
    }
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  const meta = await deps.store.meta(sha256);
  try {
    await deps.client.workflow.start(intakeDocument, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [{ document: { sha256, fileName: meta.fileName, channel: meta.channel, receivedAt: meta.receivedAt } }],
      // The previous run is closed (checked above): a new run under the same ID, so the same
      // bytes sent again are still recognised as already received.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) throw new RetryRefused('running', `document ${sha256.slice(0, 12)}… is being retried already (intake ${workflowId} is running): wait for it to end`);
    throw e;
  }
  deps.readModel.recordRetry(sha256, { at: new Date().toISOString(), by });
  deps.log.info({ sha256, workflowId, by }, 'intake retried');
  return { status: 'started', sha256, intakeWorkflowId: workflowId, fileName: meta.fileName };
}

const FAILED = `ExecutionStatus = 'Failed' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Canceled'`;
const LIST_LIMIT = 500;

/** Quarantined documents, then intakes that ended in failure with no quarantine entry (newest first). */
export async function listQuarantine(deps: QuarantineDeps): Promise<QuarantineRecord[]> {
  const records = deps.readModel.quarantined();
  const known = new Set(records.map((r) => r.sha256));
  // Every run of each intake ID: only those whose latest run failed are still without a verdict.
  const latest = new Map<string, { status: string; start: number; closedAt: string | null }>();
  let n = 0;
  try {
    const query = `WorkflowType = 'intakeDocument' AND TaskQueue = '${deps.taskQueue.replace(/'/g, '')}'`;
    for await (const w of deps.client.workflow.list({ query: `${query} AND (${FAILED})` })) {
      if (++n > LIST_LIMIT) break;
      const sha = w.workflowId.replace(/^doc-/, '');
      if (known.has(sha) || latest.has(sha)) continue;
      // A newer run (a retry) may have succeeded or be running: ask for the current one.
      const d = await deps.client.workflow.getHandle(w.workflowId).describe().catch(() => null);
      if (!d || d.status.name === 'RUNNING' || d.status.name === 'COMPLETED') continue;
      latest.set(sha, { status: d.status.name, start: d.startTime.getTime(), closedAt: d.closeTime?.toISOString() ?? null });
    }
  } catch (e) {
    deps.log.warn({ error: (e as Error).message }, 'cannot list failed intakes from Temporal: showing the quarantine only');
  }
  for (const [sha, w] of latest) {
    const meta = await deps.store.meta(sha).catch(() => null);
    records.push({
      sha256: sha,
      fileName: meta?.fileName ?? sha,
      channel: meta?.channel ?? 'api',
      receivedAt: meta?.receivedAt ?? new Date(w.start).toISOString(),
      quarantinedAt: w.closedAt ?? new Date(w.start).toISOString(),
      problems: [{ code: 'INTAKE_FAILED', message: `intake ${intakeWorkflowId(sha)} ended ${w.status.toLowerCase().replace('_', ' ')} before the document was delivered or quarantined (see its history in Temporal); retry it once the cause is fixed`, severity: 'error', where: null }],
      retries: deps.readModel.quarantineRecord(sha)?.retries ?? [],
    });
  }
  return records.sort((a, b) => b.quarantinedAt.localeCompare(a.quarantinedAt));
}
