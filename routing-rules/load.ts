// Reading rule sets from disk: a directory of *.yaml files (test cases: *.cases.yaml), hashed into a
// version, compiled; plus the holder that reloads on change and keeps the last good set running.
// Node-side only (activities, worker, CLI); the workflow imports engine.ts, not this file.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type MasterData } from '../domain/masterdata';
import { loadMasterData } from '../storage/masterdata-source';
import { CsvError } from '../domain/csv';
import { parseCasesFile, runCases, type CaseResult, type RoutingFacts } from './cases';
import { compileRuleSet, type KnownFacts, type RuleFile } from './compile';
import { InvalidRules, type RuleError } from './errors';
import type { RuleSet } from './types';
import { TOUCHLESS_FILE } from './touchless';
import { LastGood, type LastGoodStatus } from './last-good';

/** The directory or a file in it cannot be read at all (exit code 2, not 1). */
export class RulesUnreadable extends Error {
  readonly code = 'RULES_UNREADABLE';
  constructor(message: string) {
    super(message);
    this.name = 'RulesUnreadable';
  }
}

const CASES = /\.cases\.ya?ml$/i;
const YAML = /\.ya?ml$/i;

export function readRuleFiles(dir: string): RuleFile[] {
  // touchless.yaml beside the rules is the touchless policy (touchless.ts), not a rule file.
  return readYamlFiles(dir, (n) => YAML.test(n) && !CASES.test(n) && n !== TOUCHLESS_FILE);
}

function readYamlFiles(dir: string, keep: (name: string) => boolean): RuleFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new RulesUnreadable(`${dir} is not a directory; give the directory that holds the rule files`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof RulesUnreadable) throw e;
    throw new RulesUnreadable(`cannot read the rules directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return names
    .filter(keep)
    .sort()
    .map((n) => {
      const path = join(dir, n);
      try {
        return { name: path, text: readFileSync(path, 'utf8') };
      } catch (e) {
        throw new RulesUnreadable(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    });
}

/** "sha256:" + 16 hex digits over file names (without directory) and bytes, in name order. */
export function rulesVersion(files: RuleFile[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f.name.split(/[\\/]/).pop()!).update('\0').update(f.text).update('\0');
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

export function knownFactsOf(md: MasterData): KnownFacts {
  return {
    productLines: [...new Set(md.products.map((p) => p.productLine))],
    markets: [...new Set(md.customers.map((c) => c.market))],
    customerIds: md.customers.map((c) => c.id),
  };
}

/** Loads and compiles a rule set. Throws InvalidRules (problems in the files) or RulesUnreadable. */
export function loadRuleSet(dir: string, known: KnownFacts = {}): RuleSet {
  const files = readRuleFiles(dir);
  return compileRuleSet(files, rulesVersion(files), known);
}

export type Validation = { ok: true; ruleSet: RuleSet } | { ok: false; errors: RuleError[] };

/** Checks a rule directory; with master data, also that product lines, markets and customers exist. */
export function validateRules(dir: string, masterData?: MasterData): Validation {
  try {
    return { ok: true, ruleSet: loadRuleSet(dir, masterData ? knownFactsOf(masterData) : {}) };
  } catch (e) {
    if (e instanceof InvalidRules) return { ok: false, errors: e.errors };
    throw e;
  }
}

export interface RuleTestReport {
  ruleSet: RuleSet | null;
  results: CaseResult[];
  /** Problems in the rules or the case files (not failed cases). */
  errors: RuleError[];
}

/**
 * Runs every *.cases.yaml of the directory against its rules. Master data comes from `masterDataDir`,
 * else from each cases file's `masterdata:` (relative to it).
 */
export function runRuleTests(dir: string, masterDataDir?: string): RuleTestReport {
  const caseFiles = readYamlFiles(dir, (n) => CASES.test(n));
  if (caseFiles.length === 0) return { ruleSet: null, results: [], errors: [{ file: dir, line: 0, column: 0, message: 'no test cases: add a file named *.cases.yaml' }] };
  let ruleSet: RuleSet;
  const mdCache = new Map<string, MasterData>();
  const firstMd = masterDataDir ? masterData(resolve(masterDataDir), mdCache) : null;
  try {
    ruleSet = loadRuleSet(dir, firstMd ? knownFactsOf(firstMd) : {});
  } catch (e) {
    if (e instanceof InvalidRules) return { ruleSet: null, results: [], errors: e.errors };
    throw e;
  }
  const results: CaseResult[] = [];
  const errors: RuleError[] = [];
  for (const f of caseFiles) {
    const parsed = parseCasesFile(f.name, f.text);
    if (!parsed.cases) {
      errors.push(...parsed.errors);
      continue;
    }
    const mdDir = masterDataDir ? resolve(masterDataDir) : parsed.cases.masterdata ? resolve(dirname(f.name), parsed.cases.masterdata) : null;
    if (!mdDir) {
      errors.push(parsed.src.error([], 'no master data: add "masterdata: <dir>" (relative to this file) or pass --masterdata'));
      continue;
    }
    const facts: RoutingFacts = masterData(mdDir, mdCache);
    const r = runCases(ruleSet, { cases: parsed.cases, src: parsed.src }, facts);
    results.push(...r.results);
    errors.push(...r.errors);
  }
  return { ruleSet, results, errors };
}

function masterData(dir: string, cache: Map<string, MasterData>): MasterData {
  let md = cache.get(dir);
  if (!md) {
    if (!existsSync(dir)) throw new RulesUnreadable(`master data directory ${dir} does not exist`);
    try {
      md = loadMasterData(dir);
    } catch (e) {
      if (e instanceof CsvError) throw new RulesUnreadable(`master data: ${e.message}`);
      throw e;
    }
    cache.set(dir, md);
  }
  return md;
}

// ------------------------------------------------------------------ the running stack's holder

export type HolderStatus = LastGoodStatus<InvalidRules | RulesUnreadable>;

/**
 * Keeps the last good rule set. A bad edit never stops routing: reload() records the error and
 * keeps serving the previous set until the files are fixed.
 */
export class RuleSetHolder extends LastGood<RuleSet, InvalidRules | RulesUnreadable> {
  constructor(
    readonly dir: string,
    options: { known?: KnownFacts; onReload?: (status: HolderStatus & { changed: boolean }) => void } = {},
  ) {
    super({ dir, load: () => loadRuleSet(dir, options.known), invalid: (e): e is InvalidRules | RulesUnreadable => e instanceof InvalidRules || e instanceof RulesUnreadable, onReload: options.onReload });
  }
}
