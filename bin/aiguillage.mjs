#!/usr/bin/env node
// Runs the TypeScript CLI through tsx. UTC unless told otherwise: the host time zone must not leak
// into workflow code.
if (!process.env.TZ) process.env.TZ = 'UTC';
const { register } = await import('tsx/esm/api');
register();
const { runCli } = await import('../worker/cli.ts');
await runCli(process.argv);
