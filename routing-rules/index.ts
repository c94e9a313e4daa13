// The routing engine, pure: what the order workflow imports. File reading lives in load.ts and
// the CLI in commands.ts, so that this entry point stays free of Node built-ins.
export type * from './types';
export { decideRoute, explainRoute, replay, assignAgent, type RouteExplanation, type RuleTrace, type ConditionTrace, type AgentTrace, type ReplayOrder, type ReplayReport, type ReplayChange } from './engine';
export { compileRuleSet, type RuleFile, type KnownFacts } from './compile';
export { InvalidRules, formatRuleError, type RuleError } from './errors';
export { departementOf, regionOf, REGIONS } from './territory';
