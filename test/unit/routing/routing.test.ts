import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadMasterData } from '../../../storage/masterdata-source';
import { emptyAddress, type Order } from '../../../domain/order';
import { findRegion } from '../../../routing-rules/territory';
import { compileRuleSet, explainRoute, formatRuleError, InvalidRules, replay, decideRoute, departementOf, regionOf, type RouteInput, type RuleSet } from '../../../routing-rules/index';
import { knownFactsOf, loadRuleSet, RuleSetHolder, runRuleTests, validateRules } from '../../../routing-rules/load';
import { registerRulesCommands } from '../../../routing-rules/commands';

const ROOT = join(import.meta.dirname, '../../..');
const EXAMPLES = join(ROOT, 'routing-rules/examples');
const MD = loadMasterData(join(ROOT, 'fixtures/masterdata'));
const FIX = join(ROOT, 'fixtures/routing');

function order(customerId: string | null, shipTo: Partial<Order['shipTo']>, lines: [string | null, number, number?][]): Order {
  return {
    poNumber: 'T-1', orderDate: null, requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
    customer: { id: customerId, name: null, matchedBy: null },
    shipTo: { ...emptyAddress(), ...shipTo },
    lines: lines.map(([sku, quantity, unitPrice], i) => ({ lineNumber: i + 1, sku, customerPartNumber: null, ean: null, description: null, quantity, unit: null, unitPrice: unitPrice ?? null, confidence: 1, doubts: [] })),
    confidence: 1, provenance: { parser: 'test', location: null, signals: [] },
  };
}
function input(o: Order, channel: RouteInput['channel'] = 'email', extra: Partial<RouteInput> = {}): RouteInput {
  const c = o.customer.id ? MD.customer(o.customer.id) : undefined;
  return { order: o, channel, customer: c ? { id: c.id, market: c.market } : null, products: [...MD.products], loads: {}, now: '2026-11-24T09:00:00+01:00', ...extra };
}

describe('territory', () => {
  it('maps postal codes to départements, Corsica and overseas included', () => {
    expect(['69200', '01000', '20000', '20190', '20200', '20600', '97122', '97490', '97600', '98000', '97500', '6900', 'ABCDE', null].map(departementOf)).toEqual([
      '69', '01', '2A', '2A', '2B', '2B', '971', '974', '976', null, null, null, null, null,
    ]);
    expect(regionOf('2B')?.name).toBe('Corse');
    expect(regionOf('38')?.name).toBe('Auvergne-Rhône-Alpes');
    expect(regionOf('976')?.name).toBe('Mayotte');
  });
});

describe('region codes and abbreviations', () => {
  it('accepts INSEE codes and the usual abbreviations beside the names', () => {
    const cases: [string, string][] = [['84', 'Auvergne-Rhône-Alpes'], ['11', 'Île-de-France'], ['93', "Provence-Alpes-Côte d'Azur"], ['ARA', 'Auvergne-Rhône-Alpes'], ['idf', 'Île-de-France'], ['PACA', "Provence-Alpes-Côte d'Azur"], ['PAC', "Provence-Alpes-Côte d'Azur"], ['FR-BFC', 'Bourgogne-Franche-Comté'], ['BRE', 'Bretagne'], ['CVL', 'Centre-Val de Loire'], ['COR', 'Corse'], ['GES', 'Grand Est'], ['HDF', 'Hauts-de-France'], ['NOR', 'Normandie'], ['NAQ', 'Nouvelle-Aquitaine'], ['OCC', 'Occitanie'], ['PDL', 'Pays de la Loire'], ['1', 'Guadeloupe'], ['971', 'Guadeloupe'], ['MQ', 'Martinique'], ['GUF', 'Guyane'], ['REU', 'La Réunion'], ['YT', 'Mayotte']];
    for (const [code, name] of cases) expect(findRegion(code)?.name, code).toBe(name);
    expect(findRegion('RA')).toBeUndefined();
    expect(findRegion('Rhône-Alpes')).toBeUndefined();
    const rs = compileRuleSet([{ name: 'r.yaml', text: 'teams: [{ id: t, name: T, agents: [{ id: a, name: A }] }]\nrules:\n  - { id: r, when: { region: [84, ARA, PACA] }, team: t }\nfallback: { team: t }\n' }], 'v');
    expect(rs.rules[0]!.when).toEqual({ kind: 'region', values: ['84', '84', '93'] });
  });
});

describe('product line shares', () => {
  const text = (when: string) => `teams: [{ id: t, name: T, agents: [{ id: a, name: A }] }, { id: u, name: U, agents: [{ id: b, name: B }] }]\nrules:\n  - id: epi\n    when: ${when}\n    team: t\nfallback: { team: u }\n`;
  const set = (when: string) => compileRuleSet([{ name: 'r.yaml', text: text(when) }], 'v', knownFactsOf(MD));
  // GAN-NIT is EPI at 2,80 €, VIS-440 VISSERIE at 18,90 €.
  const half = order('C001', { postalCode: '69200', country: 'FR' }, [['GAN-NIT', 10], ['VIS-440', 1]]);

  it('matches "at least half of the lines" and says the share it found', () => {
    const rs = set('{ product_line: { share: { EPI: { at_least: 0.5 } } } }');
    expect(rs.rules[0]!.when).toEqual({ kind: 'product_share', line: 'EPI', by: 'lines', atLeast: 0.5, below: null });
    const x = explainRoute(rs, input(half));
    expect(x.decision.ruleId).toBe('epi');
    expect(x.rules[0]!.trace.why).toBe('part de EPI : 1/2 lignes, soit 50 % (attendu ≥ 50 %)');
    // A strict majority ("most") would not take it.
    expect(decideRoute(set('{ product_line: { most: [EPI] } }'), input(half)).ruleId).toBe('fallback');
  });

  it('measures by amount when asked', () => {
    const rs = set('{ product_line: { share: { EPI: { at_least: 0.5 } }, by: amount } }');
    const x = explainRoute(rs, input(half));
    expect(x.rules[0]!.trace.why).toMatch(/^part de EPI : 28,00 € sur 46,90 €, soit 59,7 % du montant/);
    expect(decideRoute(rs, input(half)).ruleId).toBe('epi');
    const small = order('C001', { postalCode: '69200', country: 'FR' }, [['GAN-NIT', 1], ['VIS-440', 1]]);
    expect(explainRoute(rs, input(small)).rules[0]!.trace).toMatchObject({ result: 'no-match', why: expect.stringContaining('soit 12,9 % du montant') });
  });

  it('is unknown, not false, when unknown articles could tip it', () => {
    const rs = set('{ product_line: { share: { EPI: { at_least: 0.5 } } } }');
    const doubt = order('C001', { postalCode: '69200', country: 'FR' }, [['GAN-NIT', 1], ['VIS-440', 1], [null, 1]]);
    expect(explainRoute(rs, input(doubt)).rules[0]!.trace).toMatchObject({ result: 'unknown', why: expect.stringContaining('jusqu’à 66,7 %') });
  });

  it('refuses a share outside 0…1, an empty one and a "by" without share, with line and column', () => {
    const errs = (when: string) => {
      try {
        set(when);
        return [];
      } catch (e) {
        return (e as InvalidRules).errors.map(formatRuleError);
      }
    };
    expect(errs('{ product_line: { share: { EPI: { at_least: 50 } } } }').join()).toMatch(/r\.yaml:4:\d+: .*a share is between 0 and 1 \(0\.5 = half\)/);
    expect(errs('{ product_line: { share: { EPI: {} } } }').join()).toMatch(/share of EPI needs at_least, below or both/);
    expect(errs('{ product_line: { share: { ELEC: { at_least: 0.5 } } } }').join()).toMatch(/unknown product line "ELEC"/);
    expect(errs('{ product_line: { any: [EPI], by: amount } }').join()).toMatch(/"by" goes with share/);
  });
});

describe('the example rule set', () => {
  const rs = loadRuleSet(EXAMPLES, knownFactsOf(MD));

  it('validates against the sample master data and carries a content hash', () => {
    expect(rs.version).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(rs.rules.map((r) => r.id)).toContain('corse-outre-mer');
    expect(new Set(rs.rules.flatMap((r) => kinds(r.when)))).toEqual(new Set(['all', 'any', 'not', 'country', 'region', 'departement', 'postal_code', 'product_line', 'product_share', 'market', 'customer', 'channel', 'amount']));
  });

  it('passes its own test cases', () => {
    const r = runRuleTests(EXAMPLES);
    expect(r.errors).toEqual([]);
    expect(r.results.length).toBeGreaterThanOrEqual(25);
    expect(r.results.filter((c) => !c.ok)).toEqual([]);
  });

  it('gives a French reason with rule, team and agent', () => {
    const d = decideRoute(rs, input(order('C001', { postalCode: '69200', country: 'FR' }, [['VIS-440', 10]]), 'email', { loads: { lea: { open: 12 }, karim: { open: 3 } } }));
    expect(d).toMatchObject({ team: 'sud-est', agent: 'karim', ruleId: 'sud-est', rulesVersion: rs.version });
    expect(d.reason).toBe('livraison en Auvergne-Rhône-Alpes → équipe Sud-Est ; agent Karim, charge la plus faible (3 en cours/35) (absent : Chloé)');
  });

  it('never sends an order abroad because its address is unknown (three-valued not)', () => {
    const x = explainRoute(rs, input(order(null, {}, [['VIS-440', 1]]), 'fax'));
    expect(x.decision.ruleId).toBe('fallback');
    expect(x.rules[0]).toMatchObject({ ruleId: 'export-etranger', matched: false });
    expect(x.rules[0]!.trace.result).toBe('unknown');
  });

  it('explains every rule, flags later matches, and lists the agents considered', () => {
    const x = explainRoute(rs, input(order('C021', { postalCode: '20200', country: 'FR' }, [['SER-3P', 6], ['CYL-EUR', 6]])));
    expect(x.rules).toHaveLength(rs.rules.length);
    expect(x.rules.filter((r) => r.chosen).map((r) => r.ruleId)).toEqual(['corse-outre-mer']);
    expect(x.rules.find((r) => r.ruleId === 'serrurerie')).toMatchObject({ matched: true, chosen: false });
    expect(x.rules.find((r) => r.ruleId === 'nord-est')?.trace.why).toMatch(/livraison en Corse, pas dans Grand Est/);
    expect(x.agents.map((a) => [a.agent, a.status])).toEqual([['ines', 'retenu'], ['hugo', 'candidat']]);
  });

  it('queues to the team when every agent is absent', () => {
    const o = order('C013', { postalCode: '68000', country: 'FR' }, [['MAS-FFP2', 10]]);
    const rs2 = compileRuleSet([{ name: 'r.yaml', text: `teams:\n  - id: t\n    name: T\n    agents:\n      - { id: a, name: Anne, absences: [{ from: 2026-11-20, to: 2026-11-30 }] }\nfallback: { team: t }\n` }], 'v1');
    expect(decideRoute(rs2, input(o))).toMatchObject({ team: 't', agent: null, ruleId: 'fallback' });
    expect(decideRoute(rs2, input(o)).reason).toMatch(/aucun agent disponible dans l’équipe T/);
    expect(decideRoute(rs2, input(o, 'email', { now: '2026-12-01T08:00:00+01:00' })).agent).toBe('a');
  });
});

describe('rule validation', () => {
  const teams = `teams:\n  - id: sud-est\n    name: Sud-Est\n    agents:\n      - { id: lea, name: Léa, skills: [epi] }\n      - { id: karim, name: Karim, absences: [{ from: 2026-12-24, to: 2026-12-20 }] }\n      - { id: lea, name: Léa bis }\n`;
  const compile = (rules: string, known = {}) => {
    try {
      compileRuleSet([{ name: 'teams.yaml', text: teams }, { name: 'rules.yaml', text: rules }], 'v', known);
      return [];
    } catch (e) {
      if (!(e instanceof InvalidRules)) throw e;
      return e.errors.map((x) => `${x.file}:${x.line}:${x.column}: ${x.message}`);
    }
  };

  it('reports every semantic problem with file, line and column', () => {
    const errors = compile(
      [
        'rules:',
        '  - id: r1',
        '    when: { region: [Rhône-Alpes] }',
        '    team: sud-est',
        '  - id: r1',
        '    when: { market: collectivite }',
        '    team: nord',
        '  - id: r3',
        '    when: { product_line: { most: [VISERIE] } }',
        '    team: sud-est',
        '    skill: edi',
        'fallback: { team: sud-est }',
      ].join('\n'),
      knownFactsOf(MD),
    );
    expect(errors).toEqual([
      'rules.yaml:3:22: "Rhône-Alpes" is not a French region; use its name (e.g. Auvergne-Rhône-Alpes), INSEE code (84) or abbreviation (ARA, IDF, PACA…)',
      'rules.yaml:5:9: rule id "r1" is used twice (each rule needs its own id)',
      'rules.yaml:6:21: unknown market "collectivite" (not in customers.csv; known: distribution, grande-distribution, collectivites, btp, industrie, export)',
      'rules.yaml:7:11: unknown team "nord"; teams are: sud-est',
      expect.stringMatching(/^rules\.yaml:9:36: unknown product line "VISERIE" \(not in products\.csv; known: VISSERIE/),
      'rules.yaml:10:11: no agent of team "sud-est" has the skill "edi"',
      'teams.yaml:6:46: absence from 2026-12-24 to 2026-12-20: "from" is after "to"',
      'teams.yaml:7:15: agent "lea" appears twice in team "sud-est"',
    ]);
  });

  it('reports schema problems of every rule, not only the first', () => {
    const v = validateRules(join(FIX, 'invalid'), MD);
    expect(v.ok).toBe(false);
    const lines = v.ok ? [] : v.errors.map((e) => formatRuleError({ ...e, file: e.file.split('/').pop()! }));
    expect(lines).toEqual([
      'rules.yaml:3:34: "100" is not a French département code (01…95, 2A, 2B, 971…976)',
      "rules.yaml:6:26: rules[1].when.postal_code: expected quoted text or a list of quoted texts (write postal-code prefixes as '06', not 06)",
      'rules.yaml:9:35: rules[2].when: unknown key "canal"; expected one of: all, any, not, country, region, departement, postal_code, product_line, market, customer, channel, amount',
      'rules.yaml:12:23: "edifact" is not a channel; expected one of: email, fax, scan, edi, api, folder',
      'rules.yaml:15:5: rules[4].team: missing "team" (expected an identifier)',
      'rules.yaml:18:21: at_least 5000 is not below 1000: no amount can match',
      'teams.yaml:4:17: teams[0].assignment: expected least-loaded or round-robin',
      'rule set (2 files): no fallback team; add "fallback: { team: <id> }" so that every order goes somewhere',
    ]);
  });

  it('reports bad shapes everywhere in a file: types, dates, unknown keys, empty conditions', () => {
    const v = validateRules(join(FIX, 'invalid-shapes'));
    const lines = v.ok ? [] : v.errors.map((e) => formatRuleError({ ...e, file: 'r.yaml' }));
    expect(lines).toEqual([
      'r.yaml:5:40: teams[0].agents[0].capacity: expected a number of open orders',
      'r.yaml:6:48: teams[0].agents[1].absences[0].from: expected a date as YYYY-MM-DD',
      'r.yaml:6:64: teams[0].agents[1].absences[0].to: not a calendar date',
      'r.yaml:7:1: unknown key "rule"; expected one of: teams, rules, fallback',
      'r.yaml:11:11: rules[0].when: expected a condition: a map with one of all, any, not, country, region, departement, postal_code, product_line, market, customer, channel, amount',
      'r.yaml:14:66: rules[1].when.amount: unknown key "above"; expected one of: at_least, below',
      'r.yaml:17:11: rules[2].when: empty condition; expected one of: all, any, not, country, region, departement, postal_code, product_line, market, customer, channel, amount',
      'r.yaml:19:22: fallback: unknown key "agent"; expected one of: team, skill',
    ]);
  });

  it('reports YAML syntax errors at their position', () => {
    const v = validateRules(join(FIX, 'broken-yaml'));
    expect(v.ok ? [] : v.errors.map((e) => [e.line, e.column])).toContainEqual([7, 30]);
  });
});

describe('RuleSetHolder', () => {
  it('keeps the last good rule set when a file goes bad, and picks up the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(EXAMPLES, dir, { recursive: true });
    const seen: (string | null)[] = [];
    const h = new RuleSetHolder(dir, { onReload: (s) => seen.push(s.version) });
    expect(h.reload()).toBe(true);
    const good = h.current!.version;
    const rulesFile = join(dir, 'rules.yaml');
    const text = readFileSync(rulesFile, 'utf8');
    writeFileSync(rulesFile, text.replace('team: export\n', 'team: exprot\n'));
    expect(h.reload()).toBe(false);
    expect(h.current!.version).toBe(good);
    expect(h.lastError?.message).toMatch(/rules\.yaml:\d+:\d+: unknown team "exprot"/);
    writeFileSync(rulesFile, text.replace('{ customer: [C007, C008] }', '{ customer: [C007] }'));
    expect(h.reload()).toBe(true);
    expect(h.current!.version).not.toBe(good);
    expect(h.lastError).toBeNull();
    expect(seen).toHaveLength(3);
  });
});

describe('replay', () => {
  it('lists the orders a candidate rule set would route differently', () => {
    const a = loadRuleSet(EXAMPLES);
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(EXAMPLES, dir, { recursive: true });
    // Candidate: Occitanie moves from Ouest to Sud-Est.
    const f = join(dir, 'rules.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace("region: [Auvergne-Rhône-Alpes, \"Provence-Alpes-Côte d'Azur\"]", "region: [Auvergne-Rhône-Alpes, \"Provence-Alpes-Côte d'Azur\", Occitanie]"));
    const b: RuleSet = loadRuleSet(dir);
    const orders = [
      { orderId: 'toulouse', input: input(order('C015', { postalCode: '31620', country: 'FR' }, [['VIS-440', 100]])) },
      { orderId: 'lyon', input: input(order('C001', { postalCode: '69200', country: 'FR' }, [['VIS-440', 100]])) },
    ];
    const r = replay(a, b, orders);
    expect(r).toMatchObject({ total: 2, unchanged: 1 });
    expect(r.changes.map((c) => [c.orderId, c.before.team, c.after.team, c.changed])).toEqual([['toulouse', 'ouest', 'sud-est', ['team', 'rule']]]);
  });
});

describe('rules CLI', () => {
  async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
    const out: string[] = [], err: string[] = [];
    const log = console.log, error = console.error, before = process.exitCode;
    console.log = (s: string) => out.push(s);
    console.error = (s: string) => err.push(s);
    process.exitCode = undefined;
    try {
      const program = new Command().exitOverride();
      registerRulesCommands(program);
      await program.parseAsync(['node', 'aiguillage', ...args]);
      return { out: out.join('\n'), err: err.join('\n'), code: Number(process.exitCode ?? 0) };
    } finally {
      console.log = log;
      console.error = error;
      process.exitCode = before;
    }
  }

  it('validate: 0 when good, 1 with positioned problems, 2 when unreadable', async () => {
    expect((await run('rules', 'validate', EXAMPLES)).code).toBe(0);
    const bad = await run('rules', 'validate', join(FIX, 'invalid'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/invalid\/rules\.yaml:9:35: rules\[2\]\.when: unknown key "canal"/);
    const missing = await run('rules', 'validate', join(FIX, 'no-such-dir'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read the rules directory .*no-such-dir: ENOENT/);
  });

  it('explain: reads a DocumentResult and says which rule decided', async () => {
    const r = await run('rules', 'explain', EXAMPLES, join(FIX, 'order-bastia.json'), '--masterdata', join(ROOT, 'fixtures/masterdata'), '--now', '2026-11-24T09:00:00+01:00');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/→ corse-outre-mer .*livraison dans le 2B {2}← retenue/);
    expect(r.out).toMatch(/décision : livraison dans le 2B → équipe Export ; agent Inès/);
    const notJson = await run('rules', 'explain', EXAMPLES, join(FIX, 'invalid/rules.yaml'));
    expect(notJson.code).toBe(2);
  });

  it('test: exits 1 when a case fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    cpSync(EXAMPLES, dir, { recursive: true });
    const f = join(dir, 'routing.cases.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('expect: { team: export, rule: corse-outre-mer }', 'expect: { team: sud-est, rule: corse-outre-mer }'));
    const r = await run('rules', 'test', dir, '--masterdata', join(ROOT, 'fixtures/masterdata'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ Livraison à Ajaccio → Corse, Export\n.*routing\.cases\.yaml:\d+: équipe attendue sud-est, obtenue export/);
    expect((await run('rules', 'test', EXAMPLES)).code).toBe(0);
  });

  it('replay: compares recorded routes with a candidate rule set over a time window', async () => {
    const r = await run('rules', 'replay', EXAMPLES, '--orders', join(FIX, 'orders.json'), '--since', '7d', '--now', '2026-11-24T12:00:00+01:00', '--masterdata', join(ROOT, 'fixtures/masterdata'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ total: 2, unchanged: 2, outsideWindow: 1, changes: [] });
    const bad = await run('rules', 'replay', EXAMPLES, '--orders', join(FIX, 'orders.json'), '--since', 'une semaine');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/"une semaine" is not a duration/);
  });
});

function kinds(c: RuleSet['rules'][number]['when']): string[] {
  if (c.kind === 'all' || c.kind === 'any') return [c.kind, ...c.of.flatMap(kinds)];
  if (c.kind === 'not') return ['not', ...kinds(c.of)];
  return [c.kind];
}
