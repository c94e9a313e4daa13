// What the ceiling's workflows and activities share (as workflows/definitions.ts does for the
// pipeline): the signal, the update and the activities' shape — so neither imports the other.
import { defineSignal, defineUpdate } from '@temporalio/workflow';

export const received = defineSignal<[string]>('received');
export const place = defineUpdate<string, [string]>('place');

export interface CeilingActivities {
  noop(): Promise<void>;
  deliver(input: { id: string; confirm: boolean; customer: string }): Promise<void>;
  publish(id: string | null): Promise<void>;
}
