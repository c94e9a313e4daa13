// A document's placement by its customer's coordinator (workflows/customer.ts), by update-with-start.
// While the coordinator continues-as-new, the server refuses the updates that reached the closing run
// ("workflow is closing"; retryable by design: the next attempt lands on the new run). It says so as
// RESOURCE_EXHAUSTED, which the client's gRPC retry treats as an overload: 1.7 s, then 2.9 s… before
// the next attempt, with every placement of the customer queued behind it. Placements go through a
// connection of their own whose retry knows that refusal: 20 ms, doubling to 500 ms, 30 attempts at
// most; any other failure is retried as the SDK does by default.
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor, WithStartWorkflowOperation, type GrpcRetryOptions } from '@temporalio/client';
import type { StatusObject } from '@grpc/grpc-js';
import { customerWorkflowId, placeDocumentUpdate } from '../workflows/definitions';
import { CUSTOMER_CODE_VERSION, customerWorkflow } from '../workflows/customer';
import type { IncomingDocument, Placement } from '../domain/customer-dedup';

const CLOSING = /workflow is closing/i;
const CLOSING_ATTEMPTS = 30;
const CLOSING_FIRST_WAIT_MS = 20;
const CLOSING_MAX_WAIT_MS = 500;

/** The server's refusal of an update because the run is closing (continue-as-new): retrying lands on the next run. */
export function isClosingRefusal(status: Pick<StatusObject, 'details'>): boolean {
  return CLOSING.test(status.details ?? '');
}

/** The SDK's default gRPC retry, except for the closing refusal: retried at once and often. */
export function placementRetryOptions(): GrpcRetryOptions {
  const dflt = defaultGrpcRetryOptions();
  return {
    retryableDecider: (attempt, status) => (isClosingRefusal(status) ? attempt < CLOSING_ATTEMPTS : dflt.retryableDecider(attempt, status)),
    delayFunction: (attempt, status) => (isClosingRefusal(status) ? Math.min(CLOSING_MAX_WAIT_MS, CLOSING_FIRST_WAIT_MS * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4) : dflt.delayFunction(attempt, status)),
  };
}

const placementClients = new WeakMap<Client, Client>();

/** The same server, namespace and interceptors as `client`, on a connection with the placement retry (made once). */
export function placementClient(client: Client): Client {
  // Only a gRPC connection of the SDK's own can be copied; anything else (a test double) is used as given.
  if (!(client.connection instanceof Connection)) return client;
  let c = placementClients.get(client);
  if (!c) {
    const connection = Connection.lazy({ ...client.connection.options, interceptors: [makeGrpcRetryInterceptor(placementRetryOptions())] });
    c = new Client({ ...client.options, connection });
    placementClients.set(client, c);
  }
  return c;
}

/**
 * Where the document goes, as its customer's coordinator decides (starting it if needed). The update
 * ID is the document's own: a retry that reaches a run which already decided gets that decision back,
 * and the coordinator's memory answers the same on a later run.
 */
export async function placeWithCoordinator({ client, taskQueue, customerId, doc }: { client: Client; taskQueue: string; customerId: string; doc: IncomingDocument }): Promise<Placement> {
  return placementClient(client).workflow.executeUpdateWithStart(placeDocumentUpdate, {
    args: [doc],
    updateId: `place-${doc.sha256}-${doc.index}`,
    startWorkflowOperation: new WithStartWorkflowOperation(customerWorkflow, {
      workflowId: customerWorkflowId(customerId, taskQueue),
      taskQueue,
      args: [{ customerId, codeVersion: CUSTOMER_CODE_VERSION }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}
