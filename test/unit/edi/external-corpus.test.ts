// Runs every file of ../shared/external-edi (written by other EDI libraries, many broken on
// purpose) through the reader, read in place and never copied: each gives orders or a clear
// problem with the right negative acknowledgment, never a throw.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInterchange } from '../../../parsers/edi/interchange';

const ROOT = join(import.meta.dirname, '../../../../shared/external-edi');

/** file → orders, acknowledgments (kind:status) and the problem codes that must be there. */
const EXPECTED: Record<string, { orders: number; acks: string[]; codes?: string[] }> = {
  'x12/ediengine__850_LF_terminator.edi': { orders: 1, acks: ['997:A'] },
  'x12/ediengine__850_composite_SLN.edi': { orders: 1, acks: ['997:A'] },
  'x12/ediengine__850_syntax_note_error.edi': { orders: 1, acks: ['997:E'], codes: ['EDI_SYNTAX'] },
  'x12/ediengine__control_numbers_mismatch.edi': { orders: 0, acks: ['TA1:R'], codes: ['EDI_CONTROL_NUMBER_MISMATCH'] },
  'x12/ediengine__multi_interchange_multi_group.edi': { orders: 0, acks: ['997:R', '997:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'x12/ediengine__non_edi.edi': { orders: 0, acks: [], codes: ['EDI_SYNTAX'] },
  'x12/ediengine__wrong_group_and_tx_counts.edi': { orders: 0, acks: ['TA1:R'], codes: ['EDI_ENVELOPE_COUNT'] },
  'x12/edinet__x12.850.edi': { orders: 0, acks: ['TA1:R'], codes: ['EDI_CONTROL_NUMBER_MISMATCH'] },
  'x12/edinet__x12.850.issue135.edi': { orders: 1, acks: ['997:P'], codes: ['EDI_ENVELOPE_COUNT', 'EDI_SYNTAX'] },
  'x12/edinet__x12.850a.edi': { orders: 0, acks: ['TA1:R'], codes: ['EDI_CONTROL_NUMBER_MISMATCH'] },
  'x12/nodex12__850.edi': { orders: 1, acks: ['997:A'] },
  'x12/nodex12__850_fat.edi': { orders: 1, acks: ['997:A'], codes: ['EDI_DUPLICATE_INTERCHANGE'] }, // the same ISA13 twice
  'x12/staedi__855_two_tx_one_gs.edi': { orders: 0, acks: ['997:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'x12/staedi__997_repetition_composite.edi': { orders: 0, acks: [], codes: ['EDI_ACKNOWLEDGMENT_RECEIVED'] },
  'x12/staedi__997_three_interchanges.edi': { orders: 0, acks: [], codes: ['EDI_ACKNOWLEDGMENT_RECEIVED'] },
  'x12/staedi__ISB_ISE_between_ISA_GS.edi': { orders: 0, acks: [], codes: ['EDI_ACKNOWLEDGMENT_RECEIVED'] },
  'x12/staedi__invoice810_po850_dual.edi': { orders: 1, acks: ['997:P'], codes: ['EDI_NOT_AN_ORDER'] },
  'x12/staedi__simple997_reject.edi': { orders: 0, acks: [], codes: ['EDI_ACKNOWLEDGMENT_RECEIVED'] },
  'x12/staedi__simple999_partial.edi': { orders: 0, acks: [], codes: ['EDI_ACKNOWLEDGMENT_RECEIVED'] },
  'x12/staedi__ts210_80char_wrapped.edi': { orders: 0, acks: ['997:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'x12/staedi__ts214_ellipsis_segterm.edi': { orders: 0, acks: ['997:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/edinet__edifact.01.QUOTES.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_ENVELOPE_COUNT', 'EDI_CONTROL_NUMBER_MISMATCH'] },
  'edifact/edinet__edifact.Issue98.noUNA.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_CONTROL_NUMBER_MISMATCH'] },
  'edifact/edinet__edifact.ORDRSP.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_ENVELOPE_COUNT', 'EDI_CONTROL_NUMBER_MISMATCH'] },
  'edifact/phpedifact__DESADV_utf8.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER', 'EDI_CHARSET'] },
  'edifact/phpedifact__ORDERS_D01B_EAN010_error.edi': { orders: 1, acks: [] },
  'edifact/phpedifact__ORDERS_D01B_EAN010_ok.edi': { orders: 1, acks: [] },
  'edifact/phpedifact__multi_message.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/phpedifact__newline_inside_element.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_ENVELOPE_COUNT'] },
  'edifact/phpedifact__release_character_PAORES.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_ENVELOPE_COUNT'] },
  'edifact/phpedifact__wrapped_single_line.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/pydifact__order2_minimal_noUNA_noUNZ.edi': { orders: 1, acks: ['CONTRL:E'], codes: ['EDI_ENVELOPE_MISSING_TRAILER'] },
  'edifact/pydifact__order_D96A_noUNZ.edi': { orders: 1, acks: ['CONTRL:E'], codes: ['EDI_ENVELOPE_MISSING_TRAILER'] },
  'edifact/staedi__INVOIC_D97B_custom_UNA.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/staedi__INVOIC_D97B_noUNA.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/staedi__INVOIC_D97B_wrapped15.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_NOT_AN_ORDER'] },
  'edifact/staedi__ORDERS_D96B_with_UNG.edi': { orders: 0, acks: ['CONTRL:R'], codes: ['EDI_ENVELOPE_COUNT'] },
};

const files = existsSync(ROOT) ? ['x12', 'edifact'].flatMap((d) => readdirSync(join(ROOT, d)).map((f) => `${d}/${f}`)).sort() : [];

describe.skipIf(files.length === 0)('external EDI corpus (../shared/external-edi)', () => {
  it('has an expectation for every file there', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(file, () => {
      const exp = EXPECTED[file]!;
      const r = readInterchange(readFileSync(join(ROOT, file)), { now: new Date('2026-11-23T08:00:00Z') });
      expect(r.orders).toHaveLength(exp.orders);
      expect(r.acks.map((a) => `${a.kind}:${a.status}`)).toEqual(exp.acks);
      const codes = new Set(r.problems.map((p) => p.code));
      for (const c of exp.codes ?? []) expect(codes, `${file} should report ${c}`).toContain(c);
      if (exp.orders === 0) expect(r.problems.some((p) => p.severity === 'error' || p.code === 'EDI_ACKNOWLEDGMENT_RECEIVED')).toBe(true);
      for (const p of r.problems) {
        expect(p.message).not.toMatch(/\n[ \t]+at /); // never a stack trace
        if (p.severity !== 'info') expect(p.where).toMatch(/^(segment \d+ \([A-Z0-9]+\)|line \d+|byte 0|ISA06|UNB 0004)$/);
      }
      // What we send back must itself be valid EDI that our reader takes as a pure acknowledgment.
      for (const a of r.acks) {
        const back = readInterchange(a.bytes);
        expect(back.problems.map((p) => p.code), `${file}: our ${a.kind}`).toEqual(['EDI_ACKNOWLEDGMENT_RECEIVED']);
        expect(back.acks).toEqual([]);
      }
    });
  }
});
