// Every channel hands documents in here: kept in the store first (nothing lost), then an intake
// workflow is started under doc-<sha256>. The same bytes twice are a normal outcome, not an error.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Channel, DocumentMeta } from '../domain/order';
import type { DocumentStore } from '../storage/document-store';
import { intakeDocument } from '../workflows/intake';
import { intakeWorkflowId } from '../workflows/definitions';
import { sniff, type DocumentKind } from '../parsers/sniff';
import { MEDIA_TYPES } from '../parsers/index';
import { metrics } from '../worker/metrics';
import { ATTR, receiptSpan } from '../worker/telemetry';
import { isUnreachable, TemporalUnreachable } from '../worker/temporal';

/** How long a start may wait for Temporal before the sender is told it is unreachable. */
const START_DEADLINE_MS = 15_000;

export interface Submission {
  fileName: string;
  channel: Channel;
  receivedAt: string;
  context?: Record<string, string>;
}

export interface SubmitResult {
  status: 'accepted' | 'already-received';
  sha256: string;
  intakeWorkflowId: string;
  meta: DocumentMeta;
}

export class Ingestor {
  constructor(
    private store: DocumentStore,
    private client: Client,
    private taskQueue: string,
    private log: Logger,
  ) {}

  private get temporalAddress(): string {
    return (this.client.connection as { options?: { address?: string } }).options?.address ?? 'its configured address';
  }

  /** Keep the bytes, then start the intake workflow; a span covers the receipt when tracing is on. */
  submit(bytes: Buffer, s: Submission): Promise<SubmitResult> {
    return receiptSpan(`receive ${s.channel} document`, { [ATTR.channel]: s.channel, [ATTR.fileName]: s.fileName }, (span) => this.keepAndStart(bytes, s, span));
  }

  private async keepAndStart(bytes: Buffer, s: Submission, span: { setAttribute(k: string, v: string): unknown } | null): Promise<SubmitResult> {
    const { meta } = await this.store.put(bytes, {
      fileName: s.fileName,
      mediaType: MEDIA_TYPES[sniff(bytes)],
      channel: s.channel,
      receivedAt: new Date(s.receivedAt).toISOString(),
      context: s.context ?? {},
    });
    const workflowId = intakeWorkflowId(meta.sha256);
    span?.setAttribute(ATTR.sha256, meta.sha256);
    try {
      await this.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => this.client.workflow.start(intakeDocument, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ document: { sha256: meta.sha256, fileName: meta.fileName, channel: meta.channel, receivedAt: meta.receivedAt } }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }));
      metrics.received.inc({ channel: meta.channel });
      this.log.info({ sha256: meta.sha256, workflowId, fileName: s.fileName, channel: s.channel }, 'document received');
      return { status: 'accepted', sha256: meta.sha256, intakeWorkflowId: workflowId, meta };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) {
        this.log.info({ sha256: meta.sha256, workflowId, fileName: s.fileName }, 'document already received');
        return { status: 'already-received', sha256: meta.sha256, intakeWorkflowId: workflowId, meta };
      }
      if (isUnreachable(e)) {
        // The bytes are kept: sending the file again once Temporal is back starts its intake.
        this.log.error({ sha256: meta.sha256, fileName: s.fileName, address: this.temporalAddress, error: (e as Error).message }, 'Temporal is unreachable: intake not started');
        throw new TemporalUnreachable(this.temporalAddress, e);
      }
      throw e;
    }
  }
}

/** The channel a dropped file belongs to, from its bytes: a TIFF in the scan folder is a fax. */
export function channelForFile(bytes: Buffer): Channel {
  const kind: DocumentKind = sniff(bytes);
  switch (kind) {
    case 'tiff':
      return 'fax';
    case 'pdf':
    case 'png':
    case 'jpeg':
      return 'scan';
    case 'x12':
    case 'edifact':
      return 'edi';
    case 'email':
      return 'email';
    case 'api-json':
      return 'api';
    default:
      return 'folder';
  }
}
