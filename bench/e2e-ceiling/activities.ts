// Activities of the ceiling workflows: nothing but the signal-with-start that hands the order on.
import type { Client } from '@temporalio/client';
import { received } from './workflows';

export function ceilingActivities(client: Client, taskQueue: string, routed: (id: string) => void) {
  return {
    async noop(): Promise<void> {},
    async deliver(input: { id: string; confirm: boolean }): Promise<void> {
      await client.workflow.signalWithStart('bareOrder', { workflowId: `bare-order-${input.id}`, taskQueue, args: [input], signal: received, signalArgs: [input.id] });
    },
    async publish(id: string | null): Promise<void> {
      if (id) routed(id);
    },
  };
}
export type CeilingActivities = ReturnType<typeof ceilingActivities>;
