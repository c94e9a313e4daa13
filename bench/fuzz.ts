// The longer fuzz run (issue #12): every reader on hostile inputs up to 1 MB, many more runs than
// npm test, a new seed each time. Prints inputs/s per reader, its slowest input beside the issue's
// target (every reader returns within 2 s on any input of up to 1 MB), and any failure with the seed and path
// that replay it (FUZZ_SEED=… npx vitest run test/unit/fuzz/readers.test.ts, or -- --seed here).
//   npm run bench:fuzz [-- --runs 500] [--seed 123] [--only "EDI X12"]
import { READERS, fuzz } from '../test/unit/fuzz/readers.fuzz';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 300);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const only = arg('only');
console.log(`fuzz: ${runs} inputs per reader, seed ${seed} (npm test runs 12–40 per reader with seed 20261204)`);
const TARGET_MS = 2000;
let failures = 0;
let slow = 0;
for (const r of READERS) {
  if (only && r.name !== only) continue;
  const t = performance.now();
  const out = await fuzz(r, runs, seed);
  const s = (performance.now() - t) / 1000;
  const met = out.slowest.ms <= TARGET_MS;
  if (!met) slow++;
  console.log(
    `${r.name.padEnd(16)} ${String(out.runs).padStart(5)} inputs in ${s.toFixed(1).padStart(6)} s = ${(out.runs / s).toFixed(1).padStart(7)} inputs/s  ${out.failure ? 'FAILED' : 'ok'}` +
      `  slowest ${out.slowest.ms.toFixed(0).padStart(6)} ms (target ${TARGET_MS} ms: ${met ? 'met' : 'MISSED'}; ${out.slowest.cpuMs.toFixed(0)} ms of processor time; ${out.slowest.bytes} bytes)`,
  );
  if (!met) console.log(`  slowest input starts ${out.slowest.start}`);
  if (out.failure) {
    failures++;
    console.log(`  ${out.failure}`);
  }
}
console.log(failures ? `${failures} reader(s) failed` : 'no failure found');
console.log(slow ? `${slow} reader(s) over the ${TARGET_MS} ms target on one input at least (on a loaded machine, wall time stretches)` : `every input read or refused within ${TARGET_MS} ms`);
process.exitCode = failures ? 1 : 0;
