// Fuzzing in npm test (issue #12): every reader, on hostile inputs up to 1 MB, gives a result or a
// typed problem. Bounded runs with a fixed seed (FUZZ_SEED to change it) so that a failure replays;
// bench/fuzz.ts runs longer.
import { describe, expect, it } from 'vitest';
import { READERS, fuzz } from './readers.fuzz';

const RUNS: Record<string, number> = { 'PDF structure': 12, 'MIME email': 25, 'routing rules': 25 };
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

describe('every reader on hostile input', () => {
  for (const r of READERS) {
    it(`${r.name}: a result or a typed problem, never a crash`, { timeout: 60_000 }, async () => {
      expect((await fuzz(r, RUNS[r.name] ?? 40, SEED)).failure).toBeNull();
    });
  }
});
