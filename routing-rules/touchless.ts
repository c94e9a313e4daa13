// The touchless policy IT writes beside the routing rules (touchless.yaml in the rules directory), read
// as the rules are: every problem with file, line and column; reloaded when the file changes, the last
// good policy kept running when an edit is bad. The decision itself is domain/touchless.ts.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSeq } from 'yaml';
import { z } from 'zod';
import { CHANNELS } from '../domain/order';
import { DEFAULT_PRICE_BAND, LIST_CURRENCY, NONE_PRINTED_READERS, type TouchlessPolicy } from '../domain/touchless';
import { formatRuleError, type RuleError } from './errors';
import { YamlSource } from './yaml-source';
import { LastGood, type LastGoodStatus } from './last-good';

export const TOUCHLESS_FILE = 'touchless.yaml';

export class InvalidTouchlessPolicy extends Error {
  readonly code = 'INVALID_TOUCHLESS_POLICY';
  constructor(readonly errors: RuleError[]) {
    super(`${errors.length} problem(s) in the touchless policy:\n${errors.map(formatRuleError).join('\n')}`);
    this.name = 'InvalidTouchlessPolicy';
  }
}

const KEYS = ['enabled', 'channels', 'customers', 'amount', 'prices', 'max_lines', 'first_order', 'min_confidence', 'ship_to_from_master_data', 'ship_to_only_address', 'require_erp_checks', 'erp_stage'];
const unknownKeys = (allowed: readonly string[]) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `unknown key ${(iss.keys ?? []).map((k) => `"${k}"`).join(', ')}; expected one of: ${allowed.join(', ')}` : undefined;
const ids = z.union([z.string().min(1).transform((v) => [v]), z.array(z.string().min(1)).min(1, 'expected at least one customer id')], { error: 'expected a customer id or a list of ids' });

const fraction = z.number({ error: 'expected a fraction of the list price, e.g. 0.35 for 35 %' }).min(0, 'expected 0 or more').max(0.9, 'above 0.9 (90 %) no price is checked: expected 0 to 0.9');

const policySchema = z.strictObject(
  {
    enabled: z.boolean({ error: 'expected true or false' }),
    channels: z.array(z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }), { error: `expected a list of channels (${CHANNELS.join(', ')})` }).min(1, 'expected at least one channel'),
    customers: z.strictObject({ only: ids.optional(), except: ids.optional() }, { error: unknownKeys(['only', 'except']) }).optional(),
    amount: z
      .strictObject(
        {
          below: z.number({ error: `expected an amount in ${LIST_CURRENCY} (an order in another currency is brought to it by prices.currencies), e.g. 10000` }).positive('expected an amount above 0').optional(),
          catalog_prices: z.union([z.boolean(), z.array(z.enum(CHANNELS))], { error: `expected true, false or a list of channels (${CHANNELS.join(', ')})` }).optional(),
          catalog_prices_when_none_printed: z.union([z.boolean(), z.array(z.enum(NONE_PRINTED_READERS))], { error: `expected true, false or a list of readers (${NONE_PRINTED_READERS.join(', ')})` }).optional(),
        },
        { error: unknownKeys(['below', 'catalog_prices', 'catalog_prices_when_none_printed']) },
      )
      .optional(),
    prices: z
      .strictObject(
        {
          below_list: fraction.optional(),
          above_list: fraction.optional(),
          customers: z.record(z.string().min(1), fraction, { error: 'expected customer ids, each with the most below list its prices go, e.g. C002: 0.40' }).optional(),
          currencies: z
            .record(z.string().regex(/^[A-Z]{3}$/u).refine((c) => c !== LIST_CURRENCY), z.number({ error: 'expected a coefficient of the list price, e.g. 1.05' }).min(0.1, 'expected a coefficient of the list price, 0.1 to 10').max(10, 'expected a coefficient of the list price, 0.1 to 10'), {
              error: (iss) => (iss.code === 'invalid_key' ? `expected an ISO 4217 currency code other than the list's (${LIST_CURRENCY}), e.g. CHF` : 'expected currency codes, each with the coefficient of its tariff on the list price, e.g. CHF: 1.05'),
            })
            .optional(),
        },
        { error: unknownKeys(['below_list', 'above_list', 'customers', 'currencies']) },
      )
      .optional(),
    max_lines: z.number({ error: 'expected a whole number of lines' }).int('expected a whole number of lines').positive().optional(),
    first_order: z.enum(['agent', 'touchless'], { error: 'expected agent (a new customer’s first order goes to an agent) or touchless' }).optional(),
    min_confidence: z.number({ error: 'expected a confidence between 0 and 1 (0.95 = 95 %)' }).min(0.5, 'below 0.5 nothing read is certain: expected 0.5 to 1').max(1, 'expected a confidence between 0 and 1').optional(),
    ship_to_from_master_data: z.boolean({ error: 'expected true or false' }).optional(),
    ship_to_only_address: z.union([z.boolean(), z.array(z.string().min(1)).min(1, 'expected at least one customer id')], { error: 'expected true, false or a list of customer ids' }).optional(),
    require_erp_checks: z.boolean({ error: 'expected true or false' }).optional(),
    erp_stage: z.enum(['quotation', 'confirmed'], { error: 'expected quotation (can be undone in the ERP) or confirmed' }).optional(),
  },
  { error: unknownKeys(KEYS) },
);
const fileSchema = z.strictObject({ touchless: policySchema }, { error: unknownKeys(['touchless']) });

/** Parses a policy file's text. Throws InvalidTouchlessPolicy listing every problem; with customer ids, unknown ones are problems. */
export function parseTouchlessPolicy(file: string, text: string, knownCustomers?: readonly string[]): TouchlessPolicy {
  const src = new YamlSource(file, text);
  if (src.errors.length) throw new InvalidTouchlessPolicy(src.errors);
  const raw = src.value();
  if (raw === null || raw === undefined) throw new InvalidTouchlessPolicy([{ file, line: 1, column: 1, message: 'empty file: expected "touchless:" with enabled and channels' }]);
  const r = fileSchema.safeParse(raw);
  if (!r.success) throw new InvalidTouchlessPolicy(src.zodErrors(r.error.issues));
  const p = r.data.touchless;
  const errors: RuleError[] = [];
  if (knownCustomers) {
    const known = new Set(knownCustomers);
    Object.keys(p.prices?.customers ?? {}).forEach((id) => {
      if (!known.has(id)) errors.push(src.error(['touchless', 'prices', 'customers', id], `touchless.prices.customers: unknown customer "${id}" (not in the master data)`));
    });
    const onlyAddress = p.ship_to_only_address;
    if (Array.isArray(onlyAddress)) {
      onlyAddress.forEach((id, i) => {
        if (!known.has(id)) errors.push(src.error(['touchless', 'ship_to_only_address', i], `touchless.ship_to_only_address: unknown customer "${id}" (not in the master data)`));
      });
    }
    for (const key of ['only', 'except'] as const) {
      (p.customers?.[key] ?? []).forEach((id, i) => {
        if (known.has(id)) return;
        const list = isSeq(src.doc.getIn(['touchless', 'customers', key], true));
        errors.push(src.error(['touchless', 'customers', key, ...(list ? [i] : [])], `touchless.customers.${key}: unknown customer "${id}" (not in the master data)`));
      });
    }
  }
  if (errors.length) throw new InvalidTouchlessPolicy(errors);
  return {
    version: `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`,
    file,
    enabled: p.enabled,
    channels: p.channels,
    customersOnly: p.customers?.only ?? null,
    customersExcept: p.customers?.except ?? [],
    amountBelow: p.amount?.below ?? null,
    catalogPrices: p.amount?.catalog_prices ?? true,
    catalogPricesWhenNonePrinted: p.amount?.catalog_prices_when_none_printed ?? false,
    prices: {
      belowList: p.prices?.below_list ?? DEFAULT_PRICE_BAND.belowList,
      aboveList: p.prices?.above_list ?? DEFAULT_PRICE_BAND.aboveList,
      customersBelowList: p.prices?.customers ?? {},
      currencies: p.prices?.currencies ?? {},
    },
    maxLines: p.max_lines ?? null,
    firstOrderToAgent: (p.first_order ?? 'agent') === 'agent',
    minConfidence: p.min_confidence ?? 0.95,
    shipToFromMasterData: p.ship_to_from_master_data ?? true,
    shipToOnlyAddress: p.ship_to_only_address ?? false,
    requireErpChecks: p.require_erp_checks ?? true,
    erpStage: p.erp_stage ?? 'quotation',
  };
}

/** The policy file of a rules directory: null when there is none (touchless off); throws InvalidTouchlessPolicy. */
export function loadTouchlessPolicy(rulesDir: string, knownCustomers?: readonly string[]): TouchlessPolicy | null {
  const path = join(rulesDir, TOUCHLESS_FILE);
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidTouchlessPolicy([{ file: path, line: 0, column: 0, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
  return parseTouchlessPolicy(path, text, knownCustomers);
}

export type TouchlessStatus = LastGoodStatus<InvalidTouchlessPolicy>;

/**
 * The policy in force for the running stack. A bad edit never changes it: reload() records the errors
 * (file:line:column) and keeps the previous policy until the file is fixed. A removed file turns touchless off.
 */
export class TouchlessPolicyHolder extends LastGood<TouchlessPolicy, InvalidTouchlessPolicy> {
  constructor(
    readonly rulesDir: string,
    options: { knownCustomers?: () => readonly string[]; onReload?: (s: TouchlessStatus & { changed: boolean }) => void } = {},
  ) {
    super({ dir: rulesDir, file: TOUCHLESS_FILE, load: () => loadTouchlessPolicy(rulesDir, options.knownCustomers?.()), invalid: (e): e is InvalidTouchlessPolicy => e instanceof InvalidTouchlessPolicy, onReload: options.onReload });
  }
}
