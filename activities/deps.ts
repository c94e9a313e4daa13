// What the activities are built from (createActivities in index.ts): injected, so that tests hand in
// real or failing dependencies without module mocking. Shared by the activity areas.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { MasterData } from '../domain/masterdata';
import type { Channel, DocumentMeta, Order, Problem } from '../domain/order';
import type { OrderState, RouteDecision } from '../domain/order-model';
import type { SlaConfig } from '../domain/sla';
import type { SlaAlertFacts } from '../domain/sla-alert';
import type { ExtractedOrder, Extraction } from '../parsers/index';
import type { DocumentStore } from '../storage/document-store';
import type { ReadModel } from '../storage/read-model';
import type { ErpConnector } from '../erp/connector';
import type { TouchlessPolicy } from '../domain/touchless';

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
  /** The touchless policy in force (routing-rules/touchless.ts, reloaded with the rules); absent: touchless off. */
  touchless?: () => TouchlessPolicy | null;
}

/** What extract keeps beside the document, and deliver and split read back. */
export interface StoredExtraction {
  extracted: ExtractedOrder[];
  problems: Problem[];
}


export function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Called outside an activity (tests of the factory): nothing to tell.
  }
}

export function attemptNumber(): number | null {
  try {
    return Context.current().info.attempt;
  } catch {
    return null;
  }
}

