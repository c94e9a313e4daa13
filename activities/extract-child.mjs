// A reader process of activities/extract-runner.ts: TypeScript through tsx, like bin/aiguillage.mjs.
const { register } = await import('tsx/esm/api');
register();
await import('./extract-child.ts');
