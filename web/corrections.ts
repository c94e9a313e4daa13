// An agent's edits on the order page → the corrections the workflow applies. Only fields whose value
// changed become corrections; a number that cannot be read is refused here, before the workflow.
import type { HeaderCorrection, LineCorrection, OrderState } from '../domain/order-model';

const LINE_FIELDS = ['sku', 'quantity', 'unitPrice', 'unit', 'description'] as const;
const HEADER_FIELDS = ['poNumber', 'orderDate', 'requestedDeliveryDate', 'customerId'] as const;
const NUMERIC = new Set(['quantity', 'unitPrice']);
const LABELS: Record<string, string> = { sku: 'référence', quantity: 'quantité', unitPrice: 'prix unitaire', unit: 'unité', description: 'désignation' };

/** "1 250,50" and "1250.5" both read 1250.5; anything else is null. */
export function readFrenchNumber(text: string): number | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

export interface FormCorrections {
  lines: LineCorrection[];
  header: HeaderCorrection[];
  errors: string[];
}

/** Form fields are named `line.<lineNumber>.<field>` and `header.<field>`. */
export function correctionsFromForm(state: OrderState, form: Record<string, unknown>): FormCorrections {
  const out: FormCorrections = { lines: [], header: [], errors: [] };
  for (const [name, raw] of Object.entries(form)) {
    if (typeof raw !== 'string') continue;
    const value = raw.trim();
    const lm = /^line\.(\d+)\.(\w+)$/.exec(name);
    if (lm) {
      const lineNumber = Number(lm[1]);
      const field = lm[2] as (typeof LINE_FIELDS)[number];
      const line = state.order.lines.find((l) => l.lineNumber === lineNumber);
      if (!line || !LINE_FIELDS.includes(field)) {
        out.errors.push(`Champ inconnu : ${name}.`);
        continue;
      }
      const current = line[field];
      if (NUMERIC.has(field)) {
        if (value === '' && current === null) continue;
        const n = readFrenchNumber(value);
        if (n === null) {
          out.errors.push(`Ligne ${lineNumber} : ${LABELS[field]} « ${raw} » n'est pas un nombre.`);
          continue;
        }
        if (n !== current) out.lines.push({ lineNumber, field, value: n });
      } else {
        const v = value === '' ? null : value;
        if (v !== (current ?? null)) out.lines.push({ lineNumber, field, value: v });
      }
      continue;
    }
    const hm = /^header\.(\w+)$/.exec(name);
    if (hm) {
      const field = hm[1] as (typeof HEADER_FIELDS)[number];
      if (!HEADER_FIELDS.includes(field)) {
        out.errors.push(`Champ inconnu : ${name}.`);
        continue;
      }
      const current = field === 'customerId' ? state.order.customer.id : state.order[field];
      const v = value === '' ? null : value;
      if (v !== (current ?? null)) out.header.push({ field, value: v });
    }
  }
  return out;
}
