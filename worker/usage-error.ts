// The CLI's one (worker/cli.ts, routing-rules/commands.ts) "you asked for something that cannot be done" error: printed without a stack, exit 2.
export class UsageError extends Error {}
