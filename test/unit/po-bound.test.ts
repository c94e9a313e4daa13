// A PO number is an order's key and so part of a workflow ID: one too long to be a PO (a crafted
// email gave 3,011 characters) is flagged on the document and never reaches a key.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../storage/masterdata-source';
import { resolveOrder } from '../../domain/resolve';
import { orderKey } from '../../domain/keys';
import { MAX_PO_LENGTH } from '../../domain/order';
import { validateApiOrder } from '../../parsers/api-order';
import { orderWorkflowIdFor } from '../../workflows/definitions';

const MD = loadMasterData(join(import.meta.dirname, '../../fixtures/masterdata'));
const SHA = 'c'.repeat(64);
const draft = (poNumber: string) => ({ poNumber, customer: { id: 'C001' }, lines: [{ sku: 'VIS-440', quantity: 10 }], provenance: { parser: 'email-body' } });

describe('PO number length', () => {
  it('flags a PO too long to be one and leaves it out of the order', () => {
    const long = `CDE-${'9'.repeat(3007)}`;
    const r = resolveOrder(draft(long), MD);
    expect(r.order.poNumber).toBeNull();
    expect(r.problems.find((p) => p.code === 'PO_TOO_LONG')).toMatchObject({ severity: 'error', where: 'poNumber', message: expect.stringContaining('3011 characters long (at most 35)') });
    expect(r.problems.map((p) => p.code)).not.toContain('MISSING_PO');
    const id = orderWorkflowIdFor(r.order, SHA, 0);
    expect(id).toBe(`order-C001-doc-${SHA.slice(0, 16)}-1`);
  });

  it('keeps a PO of the longest length EDIFACT allows', () => {
    const po = 'A'.repeat(MAX_PO_LENGTH);
    const r = resolveOrder(draft(po), MD);
    expect(r.order.poNumber).toBe(po);
    expect(r.problems.map((p) => p.code)).not.toContain('PO_TOO_LONG');
  });

  it('never builds a key from a long PO or customer ID', () => {
    expect(orderKey('C001', 'X'.repeat(3000), SHA, 0)).toBe(`C001-doc-${SHA.slice(0, 16)}-1`);
    expect(orderKey('C'.repeat(500), '7781', SHA, 2)).toBe(`unknown-doc-${SHA.slice(0, 16)}-3`);
    expect(orderKey('C001', '7781', SHA, 0)).toBe('C001-7781');
  });

  it('refuses an API order whose PO or customer ID is too long, naming the field', () => {
    const body = (o: object) => ({ customerId: 'C001', poNumber: 'API-1', lines: [{ sku: 'VIS-440', quantity: 1 }], ...o });
    const po = validateApiOrder(body({ poNumber: 'P'.repeat(36) }));
    expect(po.ok ? [] : po.issues.map((i) => i.path)).toEqual(['poNumber']);
    const customer = validateApiOrder(body({ customerId: 'C'.repeat(33) }));
    expect(customer.ok ? [] : customer.issues.map((i) => i.path)).toEqual(['customerId']);
  });
});
