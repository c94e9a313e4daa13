// Activities of the ceiling workflows: nothing but the coordinator's update and the signal-with-start
// that hand the order on (with the pipeline's limit of updates in flight per customer).
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { perKeyLimit } from '../../activities/per-key-limit';
import { place, received, type CeilingActivities } from './definitions';

export function ceilingActivities(client: Client, taskQueue: string, routed: (id: string) => void): CeilingActivities {
  const toCoordinator = perKeyLimit(6);
  return {
    async noop(): Promise<void> {},
    async deliver(input: { id: string; confirm: boolean; customer: string }): Promise<void> {
      await toCoordinator(input.customer, () => client.workflow.executeUpdateWithStart(place, {
        args: [input.id],
        startWorkflowOperation: new WithStartWorkflowOperation('bareCustomer', { workflowId: `bare-customer-${input.customer}-${taskQueue}`, taskQueue, args: [], workflowIdConflictPolicy: 'USE_EXISTING' }),
      }));
      await client.workflow.signalWithStart('bareOrder', { workflowId: `bare-order-${input.id}`, taskQueue, args: [input], signal: received, signalArgs: [input.id] });
    },
    async publish(id: string | null): Promise<void> {
      if (id) routed(id);
    },
  };
}
export type { CeilingActivities };
