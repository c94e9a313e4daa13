// Agent actions go to the order workflow as updates: the workflow stays the single source of truth,
// and a refused action comes back with the workflow's own explanation, not a generic failure.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { orderWorkflowId } from '../workflows/definitions';
import { ActionRefused } from '../domain/order-state';
import { type OrderState } from '../domain/order-model';

// The refusal an agent reads, whether the workflow's validator said it or this client relays it.
export { ActionRefused };

export async function runAgentAction<T>(client: Client, orderId: string, update: UpdateDefinition<OrderState, [T]>, arg: T): Promise<OrderState> {
  try {
    return await client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(update, { args: [arg] });
  } catch (e) {
    if (e instanceof WorkflowUpdateFailedError) throw new ActionRefused((e.cause as Error | undefined)?.message ?? e.message);
    throw e;
  }
}
