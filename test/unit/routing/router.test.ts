import { describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { emptyAddress, type Order } from '../../../domain/order';
import { createRouter } from '../../../routing-rules/router';
import { InvalidRules } from '../../../routing-rules/errors';

const ROOT = join(import.meta.dirname, '../../..');
const MD = loadMasterData(join(ROOT, 'fixtures/masterdata'));

function rulesCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'router-'));
  cpSync(join(ROOT, 'routing-rules/examples'), dir, { recursive: true });
  return dir;
}
const order: Order = {
  poNumber: 'SM 2611-07', orderDate: '2026-11-24', requestedDeliveryDate: null, purpose: 'original', currency: 'EUR',
  customer: { id: 'C017', name: 'Serrurerie Moreau', matchedBy: 'fax' },
  shipTo: { ...emptyAddress(), code: 'C017-L1', postalCode: '37000', city: 'Tours', country: 'FR' },
  lines: [{ lineNumber: 1, sku: 'VIS-440', customerPartNumber: null, ean: null, description: null, quantity: 4, unit: 'BTE', unitPrice: null, confidence: 0.9, doubts: [] }],
  confidence: 0.9, provenance: { parser: 'ocr', location: null, signals: [] },
};

describe('createRouter', () => {
  it('routes with master data and loads, keeps the last good rules on a bad edit, and logs why', () => {
    const dir = rulesCopy();
    const errors: object[] = [];
    const router = createRouter({
      rulesDir: dir, masterData: () => MD, watch: false, now: () => new Date('2026-11-24T08:00:00Z'),
      loads: () => ({ nathalie: { open: 30 }, yann: { open: 2 } }),
      log: { info: () => {}, error: (o) => errors.push(o) },
    });
    const first = router.route({ order, channels: ['fax', 'email'] });
    expect(first).toMatchObject({ team: 'ouest', agent: 'yann', ruleId: 'ouest' });
    const f = join(dir, 'rules.yaml');
    const text = readFileSync(f, 'utf8');
    writeFileSync(f, text.replace('  - id: ouest\n', '  - id: ouest\n    team: [\n'));
    expect(router.reload()).toBe(false);
    expect(errors).toHaveLength(1);
    expect(router.route({ order, channels: ['fax'] }).rulesVersion).toBe(first.rulesVersion);
    writeFileSync(f, text.replace("region: [Bretagne, Normandie, Pays de la Loire, Centre-Val de Loire,", "region: [Bretagne, Normandie, Pays de la Loire,"));
    expect(router.reload()).toBe(true);
    expect(router.route({ order, channels: ['fax'] })).toMatchObject({ team: 'sud-est', ruleId: 'fallback' });
    router.close();
  });

  it('refuses to start on invalid rules', () => {
    const dir = rulesCopy();
    writeFileSync(join(dir, 'rules.yaml'), 'rules: [{ id: x }]\n');
    expect(() => createRouter({ rulesDir: dir, masterData: () => MD, watch: false })).toThrow(InvalidRules);
  });

  it('picks up a changed file by itself when watching', async () => {
    const dir = rulesCopy();
    const router = createRouter({ rulesDir: dir, masterData: () => MD });
    try {
      const before = router.status().version;
      const f = join(dir, 'teams.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('name: Yann', 'name: Yann Le Goff'));
      await vi.waitFor(() => expect(router.status().version).not.toBe(before), { timeout: 10_000, interval: 50 });
    } finally {
      router.close();
    }
  });
});
