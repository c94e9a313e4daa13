// Side effects the workflows call, one module per area: intake (extract, deliver, split, quarantine),
// order (route, confirm, publish), alerts (SLA), erp. Built by one factory from their dependencies
// (deps.ts), so tests hand in real ones (a temporary store, a real Temporal client) without module mocking.
import { createAlertActivities } from './alerts';
import type { ActivityDeps } from './deps';
import { createErpActivities } from './erp';
import { createIntakeActivities } from './intake';
import { createOrderActivities } from './order';

export type { ActivityDeps, OrderToRoute, SlaAlert } from './deps';
export { DEFAULT_ROUTE } from './order';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createErpActivities({ erp: deps.erp ?? null, touchless: deps.touchless, readModel: deps.readModel, masterData: deps.masterData, log: deps.log }),
    ...createIntakeActivities(deps),
    ...createOrderActivities(deps),
    ...createAlertActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
