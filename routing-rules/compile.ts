// YAML rule files → RuleSet, or InvalidRules listing every problem with file, line and column.
// Pure: the caller reads the files (load.ts) and computes the content hash.
import { z } from 'zod';
import { CHANNELS, type Channel } from '../domain/order';
import { InvalidRules, type RuleError } from './errors';
import { findRegion, normaliseDepartement } from './territory';
import type { Absence, Agent, Condition, Rule, RuleSet, SourceRef, Team } from './types';
import { YamlSource, type Path } from './yaml-source';

export interface RuleFile {
  /** Shown in errors, e.g. "routing-rules/examples/rules.yaml". */
  name: string;
  text: string;
}

/** Master-data vocabulary; when given, rules naming an unknown product line, market or customer are errors. */
export interface KnownFacts {
  productLines?: string[];
  markets?: string[];
  customerIds?: string[];
}

// ------------------------------------------------------------------ schema (the YAML format)

const CONDITION_KEYS = ['all', 'any', 'not', 'country', 'region', 'departement', 'postal_code', 'product_line', 'market', 'customer', 'channel', 'amount'] as const;

const unknownKeys = (allowed: readonly string[]) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `unknown key ${(iss.keys ?? []).map((k) => `"${k}"`).join(', ')}; expected one of: ${allowed.join(', ')}` : undefined;

const scalar = z.union([z.string().min(1), z.number()], { error: 'expected a value or a list of values' }).transform(String);
/** `country: FR` and `country: [FR, BE]` both mean a list. */
const list = z.union([scalar.transform((v) => [v]), z.array(scalar).min(1, 'expected at least one value')], { error: 'expected a value or a list of values' });
const stringList = z.union([z.string().min(1).transform((v) => [v]), z.array(z.string().min(1)).min(1, 'expected at least one value')], {
  error: "expected quoted text or a list of quoted texts (write postal-code prefixes as '06', not 06)",
});

const shareBounds = z.strictObject(
  {
    at_least: z.number({ error: 'expected a share between 0 and 1 (0.5 = half)' }).min(0, 'a share is between 0 and 1').max(1, 'a share is between 0 and 1 (0.5 = half)').optional(),
    below: z.number({ error: 'expected a share between 0 and 1 (0.5 = half)' }).gt(0, 'a share is between 0 and 1').max(1, 'a share is between 0 and 1 (0.5 = half)').optional(),
  },
  { error: unknownKeys(['at_least', 'below']) },
);
const productLineModes = z.strictObject(
  {
    any: list.optional(),
    all: list.optional(),
    most: list.optional(),
    share: z.record(z.string().min(1), shareBounds, { error: 'expected { PRODUCT_LINE: { at_least: 0.5 } }' }).optional(),
    by: z.enum(['lines', 'amount'], { error: 'expected lines or amount' }).optional(),
  },
  { error: unknownKeys(['any', 'all', 'most', 'share', 'by']) },
);
const amount = z.strictObject(
  { at_least: z.number({ error: 'expected a number' }).nonnegative().optional(), below: z.number({ error: 'expected a number' }).positive().optional() },
  { error: unknownKeys(['at_least', 'below']) },
);

interface RawCondition {
  all?: RawCondition[];
  any?: RawCondition[];
  not?: RawCondition;
  country?: string[];
  region?: string[];
  departement?: string[];
  postal_code?: string[];
  product_line?: string[] | { any?: string[]; all?: string[]; most?: string[]; share?: Record<string, { at_least?: number; below?: number }>; by?: 'lines' | 'amount' };
  market?: string[];
  customer?: string[];
  channel?: string[];
  amount?: { at_least?: number; below?: number };
}

const conditionSchema: z.ZodType<RawCondition, unknown> = z.lazy(() =>
  z
    .strictObject(
      {
        all: z.array(conditionSchema).min(1, 'expected at least one condition').optional(),
        any: z.array(conditionSchema).min(1, 'expected at least one condition').optional(),
        not: conditionSchema.optional(),
        country: list.optional(),
        region: list.optional(),
        departement: list.optional(),
        postal_code: stringList.optional(),
        product_line: z.union([list, productLineModes], { error: 'expected product lines, or { any | all | most: [lines] }, or { share: { LINE: { at_least: 0.5 } }, by: lines | amount }' }).optional(),
        market: list.optional(),
        customer: list.optional(),
        channel: list.optional(),
        amount: amount.optional(),
      },
      { error: (iss) => unknownKeys(CONDITION_KEYS)(iss) ?? `expected a condition: a map with one of ${CONDITION_KEYS.join(', ')}` },
    )
    .refine((c) => Object.keys(c).length > 0, `empty condition; expected one of: ${CONDITION_KEYS.join(', ')}`),
);

const id = z.string({ error: 'expected an identifier' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected an identifier (letters, digits, ".", "-" and "_")');
const isoDate = z
  .string({ error: 'expected a date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date as YYYY-MM-DD', abort: true })
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, 'not a calendar date');

const AGENT_KEYS = ['id', 'name', 'skills', 'capacity', 'absences'];
const agentSchema = z.strictObject(
  {
    id,
    name: z.string({ error: 'expected the name shown to people' }).min(1),
    skills: z.array(z.string().min(1)).default([]),
    capacity: z.number({ error: 'expected a number of open orders' }).int().positive().optional(),
    absences: z
      .array(z.strictObject({ from: isoDate, to: isoDate, reason: z.string().optional() }, { error: unknownKeys(['from', 'to', 'reason']) }))
      .default([]),
  },
  { error: unknownKeys(AGENT_KEYS) },
);

const TEAM_KEYS = ['id', 'name', 'assignment', 'lead', 'agents'];
const teamSchema = z.strictObject(
  {
    id,
    name: z.string({ error: 'expected the team name shown to people' }).min(1),
    assignment: z.enum(['least-loaded', 'round-robin'], { error: 'expected least-loaded or round-robin' }).default('least-loaded'),
    lead: z.string().min(3).optional(),
    agents: z.array(agentSchema, { error: 'expected a list of agents' }).min(1, 'a team needs at least one agent'),
  },
  { error: unknownKeys(TEAM_KEYS) },
);

const RULE_KEYS = ['id', 'description', 'when', 'team', 'skill'];
const ruleSchema = z.strictObject(
  { id, description: z.string().optional(), when: conditionSchema, team: id, skill: z.string().min(1).optional() },
  { error: unknownKeys(RULE_KEYS) },
);

const FILE_KEYS = ['teams', 'rules', 'fallback'];
const fallbackSchema = z.strictObject({ team: id, skill: z.string().min(1).optional() }, { error: unknownKeys(['team', 'skill']) });
// Items are checked one by one (below) so that one bad rule does not hide the problems of the others.
const fileSchema = z.object(
  {
    teams: z.array(z.unknown(), { error: 'expected a list of teams' }).optional(),
    rules: z.array(z.unknown(), { error: 'expected a list of rules' }).optional(),
    fallback: z.unknown().optional(),
  },
  { error: `expected a map with ${FILE_KEYS.join(', ')}` },
);
interface RawFile {
  teams: z.infer<typeof teamSchema>[];
  rules: z.infer<typeof ruleSchema>[];
  /** Index in the file of each rule kept (bad ones are left out), for positions. */
  ruleIndex: number[];
  teamIndex: number[];
  fallback: z.infer<typeof fallbackSchema> | null;
  /** Ids of teams that failed to parse, so that rules naming them do not add a second, misleading error. */
  brokenTeamIds: string[];
  fallbackWritten: boolean;
}

function parseFile(src: YamlSource, errors: RuleError[]): RawFile | null {
  const value = src.value() ?? {};
  // Unknown top-level keys are reported, and the known ones still checked.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of Object.keys(value)) {
      if (!FILE_KEYS.includes(k)) errors.push(src.error([], `unknown key "${k}"; expected one of: ${FILE_KEYS.join(', ')}`, k));
    }
  }
  const r = fileSchema.safeParse(value);
  if (!r.success) {
    errors.push(...src.zodErrors(r.error.issues));
    return null;
  }
  const out: RawFile = { teams: [], rules: [], ruleIndex: [], teamIndex: [], fallback: null, brokenTeamIds: [], fallbackWritten: r.data.fallback !== undefined };
  (r.data.teams ?? []).forEach((t, i) => {
    const p = teamSchema.safeParse(t);
    if (p.success) {
      out.teams.push(p.data);
      out.teamIndex.push(i);
    } else {
      errors.push(...src.zodErrors(p.error.issues, ['teams', i]));
      const rawId = (t as { id?: unknown } | null)?.id;
      if (typeof rawId === 'string') out.brokenTeamIds.push(rawId);
    }
  });
  (r.data.rules ?? []).forEach((x, i) => {
    const p = ruleSchema.safeParse(x);
    if (p.success) {
      out.rules.push(p.data);
      out.ruleIndex.push(i);
    } else errors.push(...src.zodErrors(p.error.issues, ['rules', i]));
  });
  if (r.data.fallback !== undefined) {
    const p = fallbackSchema.safeParse(r.data.fallback);
    if (p.success) out.fallback = p.data;
    else errors.push(...src.zodErrors(p.error.issues, ['fallback']));
  }
  return out;
}

// ------------------------------------------------------------------ compile

export function compileRuleSet(files: RuleFile[], version: string, known: KnownFacts = {}): RuleSet {
  try {
    return compileUnguarded(files, version, known);
  } catch (e) {
    if (e instanceof InvalidRules) throw e;
    // Conditions nested thousands deep exhaust the stack; the YAML reader throws on an alias with no
    // anchor (found by fuzzing): either way the rules are unreadable, and the user is told why.
    const why = e instanceof RangeError ? 'nested too deeply to be read (conditions and lists are a few levels deep)' : `could not be read (${(e as Error).message})`;
    throw new InvalidRules(files.map((f) => ({ file: f.name, line: 0, column: 0, message: why })));
  }
}

function compileUnguarded(files: RuleFile[], version: string, known: KnownFacts): RuleSet {
  const errors: RuleError[] = [];
  const parsed: { src: YamlSource; data: RawFile }[] = [];
  for (const f of files) {
    const src = new YamlSource(f.name, f.text);
    if (src.errors.length) {
      errors.push(...src.errors);
      continue;
    }
    const data = parseFile(src, errors);
    if (data) parsed.push({ src, data });
  }

  const teams: Team[] = [];
  const rules: Rule[] = [];
  let fallback: RuleSet['fallback'] | null = null;
  const teamIds = new Set<string>();
  const brokenTeams = new Set(parsed.flatMap((p) => p.data.brokenTeamIds));

  for (const { src, data } of parsed) {
    data.teams.forEach((t, k) => {
      const path: Path = ['teams', data.teamIndex[k]!];
      if (teamIds.has(t.id)) errors.push(src.error([...path, 'id'], `team "${t.id}" is defined twice`));
      teamIds.add(t.id);
      const agentIds = new Set<string>();
      const agents: Agent[] = t.agents.map((a, ai) => {
        if (agentIds.has(a.id)) errors.push(src.error([...path, 'agents', ai, 'id'], `agent "${a.id}" appears twice in team "${t.id}"`));
        agentIds.add(a.id);
        const absences: Absence[] = a.absences.map((ab, bi) => {
          if (ab.from > ab.to) errors.push(src.error([...path, 'agents', ai, 'absences', bi], `absence from ${ab.from} to ${ab.to}: "from" is after "to"`));
          return { from: ab.from, to: ab.to, reason: ab.reason ?? null };
        });
        return { id: a.id, name: a.name, skills: a.skills, capacity: a.capacity ?? null, absences };
      });
      teams.push({ id: t.id, name: t.name, assignment: t.assignment, lead: t.lead ?? null, agents, source: ref(src, path) });
    });
  }

  const ruleIds = new Set<string>();
  for (const { src, data } of parsed) {
    data.rules.forEach((r, k) => {
      const path: Path = ['rules', data.ruleIndex[k]!];
      if (ruleIds.has(r.id)) errors.push(src.error([...path, 'id'], `rule id "${r.id}" is used twice (each rule needs its own id)`));
      ruleIds.add(r.id);
      checkTeam(src, [...path, 'team'], r.team, r.skill ?? null, teams, brokenTeams, errors);
      const when = compileCondition(r.when, src, [...path, 'when'], known, errors);
      rules.push({ id: r.id, description: r.description ?? null, when, team: r.team, skill: r.skill ?? null, source: ref(src, path) });
    });
    if (data.fallback) {
      if (fallback) errors.push(src.error(['fallback'], `a second fallback; the first is in ${fallback.source.file}:${fallback.source.line}`));
      else {
        checkTeam(src, ['fallback', 'team'], data.fallback.team, data.fallback.skill ?? null, teams, brokenTeams, errors);
        fallback = { team: data.fallback.team, skill: data.fallback.skill ?? null, source: ref(src, ['fallback']) };
      }
    }
  }

  const setName = files.length === 1 ? files[0]!.name : `rule set (${files.length} files)`;
  if (files.length === 0) errors.push({ file: setName, line: 0, column: 0, message: 'no rule files (*.yaml) found' });
  else if (parsed.length === files.length) {
    if (teams.length === 0 && brokenTeams.size === 0) errors.push({ file: setName, line: 0, column: 0, message: 'no teams defined; add a "teams:" list' });
    if (!fallback && !parsed.some((p) => p.data.fallbackWritten)) errors.push({ file: setName, line: 0, column: 0, message: 'no fallback team; add "fallback: { team: <id> }" so that every order goes somewhere' });
  }
  if (errors.length || !fallback) throw new InvalidRules(errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column));
  return { version, files: files.map((f) => f.name), teams, rules, fallback };
}

function checkTeam(src: YamlSource, path: Path, teamId: string, skill: string | null, teams: Team[], broken: Set<string>, errors: RuleError[]): void {
  const team = teams.find((t) => t.id === teamId);
  if (!team && broken.has(teamId)) return;
  if (!team) {
    errors.push(src.error(path, `unknown team "${teamId}"; teams are: ${teams.map((t) => t.id).join(', ') || '(none)'}`));
    return;
  }
  if (skill && !team.agents.some((a) => a.skills.includes(skill))) {
    errors.push(src.error(path, `no agent of team "${teamId}" has the skill "${skill}"`));
  }
}

function compileCondition(c: RawCondition, src: YamlSource, path: Path, known: KnownFacts, errors: RuleError[]): Condition {
  const parts: Condition[] = [];
  const at = (key: string, i?: number): Path => (i === undefined ? [...path, key] : [...path, key, i]);

  if (c.all) parts.push({ kind: 'all', of: c.all.map((s, i) => compileCondition(s, src, at('all', i), known, errors)) });
  if (c.any) parts.push({ kind: 'any', of: c.any.map((s, i) => compileCondition(s, src, at('any', i), known, errors)) });
  if (c.not) parts.push({ kind: 'not', of: compileCondition(c.not, src, at('not'), known, errors) });
  compilePlace(c, src, path, errors, parts);
  if (c.product_line) compileProductLine(c.product_line, src, path, known, errors, parts);
  compileCustomerChannelAmount(c, src, path, known, errors, parts);
  // Several keys in one map mean all of them, as people read it.
  return parts.length === 1 ? parts[0]! : { kind: 'all', of: parts };
}

/** The where-to conditions (country, region, département, postal code), checked and pushed onto parts. */
function compilePlace(c: RawCondition, src: YamlSource, path: Path, errors: RuleError[], parts: Condition[]): void {
  if (c.country) {
    const values = c.country.map((v, i) => {
      const up = v.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(up)) errors.push(src.error(elem(src, path, 'country', i), `"${v}" is not an ISO 3166 alpha-2 country code (e.g. FR, BE)`));
      return up;
    });
    parts.push({ kind: 'country', values });
  }
  if (c.region) {
    const values = c.region.map((v, i) => {
      const r = findRegion(v);
      if (!r) errors.push(src.error(elem(src, path, 'region', i), `"${v}" is not a French region; use its name (e.g. Auvergne-Rhône-Alpes), INSEE code (84) or abbreviation (ARA, IDF, PACA…)`));
      return r?.code ?? v;
    });
    parts.push({ kind: 'region', values });
  }
  if (c.departement) {
    const values = c.departement.map((v, i) => {
      const d = normaliseDepartement(v);
      if (!d) errors.push(src.error(elem(src, path, 'departement', i), `"${v}" is not a French département code (01…95, 2A, 2B, 971…976)`));
      return d ?? v;
    });
    parts.push({ kind: 'departement', values });
  }
  if (c.postal_code) {
    c.postal_code.forEach((v, i) => {
      if (!/^\d{1,5}$/.test(v)) errors.push(src.error(elem(src, path, 'postal_code', i), `"${v}" is not a postal-code prefix (1 to 5 digits)`));
    });
    parts.push({ kind: 'postal_code', prefixes: c.postal_code });
  }
}

/** product_line (a list, or one of any, all, most, share), checked against products.csv and pushed onto parts. */
function compileProductLine(pl: NonNullable<RawCondition['product_line']>, src: YamlSource, path: Path, known: KnownFacts, errors: RuleError[], parts: Condition[]): void {
  const modes = Array.isArray(pl) ? { any: pl } : pl;
  const entries = (['any', 'all', 'most', 'share'] as const).filter((m) => modes[m]);
  if (entries.length !== 1) errors.push(src.error([...path, 'product_line'], 'product_line takes exactly one of any, all, most, share (use all:/any: around several conditions)'));
  if (!Array.isArray(pl) && pl.by && !pl.share) errors.push(src.error([...path, 'product_line', 'by'], '"by" goes with share: { share: { LINE: { at_least: 0.5 } }, by: amount }'));
  for (const mode of entries) {
    if (mode === 'share') {
      const by = Array.isArray(pl) ? 'lines' : (pl.by ?? 'lines');
      for (const [line, b] of Object.entries(modes.share!)) {
        const where: Path = [...path, 'product_line', 'share', line];
        checkKnown(src, [...path, 'product_line', 'share'], [line.trim()], known.productLines, 'product line', 'products.csv', errors, true);
        const { at_least = null, below = null } = b;
        if (at_least === null && below === null) errors.push(src.error(where, `share of ${line} needs at_least, below or both (e.g. { at_least: 0.5 })`));
        if (at_least !== null && below !== null && at_least >= below) errors.push(src.error(where, `at_least ${at_least} is not below ${below}: no share can match`));
        parts.push({ kind: 'product_share', line: line.trim().toUpperCase(), by, atLeast: at_least, below });
      }
      continue;
    }
    const values = modes[mode]!.map((v) => v.trim());
    checkKnown(src, Array.isArray(pl) ? [...path, 'product_line'] : [...path, 'product_line', mode], values, known.productLines, 'product line', 'products.csv', errors, true);
    parts.push({ kind: 'product_line', mode, values });
  }
}

/** market, customer, channel and amount, checked and pushed onto parts. */
function compileCustomerChannelAmount(c: RawCondition, src: YamlSource, path: Path, known: KnownFacts, errors: RuleError[], parts: Condition[]): void {
  const at = (key: string): Path => [...path, key];
  if (c.market) {
    checkKnown(src, at('market'), c.market, known.markets, 'market', 'customers.csv', errors, false);
    parts.push({ kind: 'market', values: c.market });
  }
  if (c.customer) {
    checkKnown(src, at('customer'), c.customer, known.customerIds, 'customer', 'customers.csv', errors, false);
    parts.push({ kind: 'customer', values: c.customer });
  }
  if (c.channel) {
    c.channel.forEach((v, i) => {
      if (!(CHANNELS as readonly string[]).includes(v)) errors.push(src.error(elem(src, path, 'channel', i), `"${v}" is not a channel; expected one of: ${CHANNELS.join(', ')}`));
    });
    parts.push({ kind: 'channel', values: c.channel as Channel[] });
  }
  if (c.amount) {
    const { at_least = null, below = null } = c.amount;
    if (at_least === null && below === null) errors.push(src.error(at('amount'), 'amount needs at_least, below or both'));
    if (at_least !== null && below !== null && at_least >= below) errors.push(src.error(at('amount'), `at_least ${at_least} is not below ${below}: no amount can match`));
    parts.push({ kind: 'amount', atLeast: at_least, below });
  }
}

function elem(src: YamlSource, path: Path, key: string, i: number): Path {
  return src.doc.getIn([...path, key, i], true) ? [...path, key, i] : [...path, key];
}

function checkKnown(src: YamlSource, path: Path, values: string[], vocabulary: string[] | undefined, what: string, file: string, errors: RuleError[], caseInsensitive: boolean): void {
  if (!vocabulary) return;
  const norm = (s: string) => (caseInsensitive ? s.toUpperCase() : s);
  const set = new Set(vocabulary.map(norm));
  values.forEach((v, i) => {
    if (!set.has(norm(v))) {
      const sample = [...new Set(vocabulary)].slice(0, 12).join(', ');
      errors.push(src.error(elem(src, path.slice(0, -1), String(path[path.length - 1]), i), `unknown ${what} "${v}" (not in ${file}; known: ${sample})`));
    }
  });
}

function ref(src: YamlSource, path: Path): SourceRef {
  return { file: src.file, line: src.position(path).line };
}
