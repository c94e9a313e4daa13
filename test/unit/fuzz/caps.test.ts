// The caps of parsers/limits.ts: a value over its cap is refused or cut, with a problem saying so.
import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { boundText } from '../../../parsers/caps';
import { LIMITS } from '../../../parsers/limits';

const md = loadMasterData('fixtures/masterdata');
const read = (text: string | Buffer, fileName = 'commande.txt') => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return extractDocument(bytes, describeDocument(bytes, { fileName, channel: 'folder', receivedAt: '2026-11-23T08:15:00.000Z' }), md);
};
const order = (po: string) => `De : achats@dupont-quincaillerie.fr\nN° de commande : ${po}\nDate de commande : 23/11/2026\n\n- 12 x VIS-440 vis inox 4x40\n- 5 x CHV-6 cheville\n`;

describe('caps on what the readers accept', () => {
  it('takes a PO number of normal length', async () => {
    const { result } = await read(order('CDE-2026-1142'));
    expect(result.orders[0]?.poNumber).toBe('CDE-2026-1142');
  });

  it('refuses a PO number of 3,000 characters (it would become a workflow ID) and says so', async () => {
    const { result } = await read(order(`A${'1'.repeat(3_000)}`));
    expect(result.orders[0]?.poNumber).toBeNull();
    const p = result.problems.find((x) => x.code === 'FIELD_TOO_LONG');
    expect(p?.severity).toBe('error');
    expect(p?.message).toContain(`above the ${LIMITS.poNumberChars}`);
    expect(p?.where).toBe('commande.txt / poNumber');
  });

  it('reads a text with a 100 KB line up to the line cap, and says it cut it', async () => {
    const { result } = await read(`${order('CDE-2026-1142')}${'x'.repeat(100_000)}\n`);
    expect(result.orders[0]?.lines.length).toBe(2);
    expect(result.problems.find((x) => x.code === 'LINE_TOO_LONG')?.message).toContain('1 line(s) longer than 4096');
  });

  it('cuts lines and texts to their caps', () => {
    const b = boundText(`court\n${'y'.repeat(LIMITS.lineChars + 10)}\nfin`);
    expect(b.linesCut).toBe(1);
    expect(b.text.split('\n').map((l) => l.length)).toEqual([5, LIMITS.lineChars, 3]);
    const big = boundText('z\n'.repeat(LIMITS.textChars));
    expect(big.textCut).toBe(true);
    expect(big.text.length).toBe(LIMITS.textChars);
  });

  it('does not open a document above the size cap', async () => {
    const { result, unreadable } = await read(Buffer.alloc(LIMITS.documentBytes + 1, 'a'), 'enorme.txt');
    expect(unreadable).toBe(true);
    expect(result.problems.map((p) => p.code)).toEqual(['DOCUMENT_TOO_LARGE']);
  });
});
