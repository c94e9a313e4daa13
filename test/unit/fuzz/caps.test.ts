// The caps of parsers/limits.ts: a value over its cap is refused or cut, with a problem saying so.
import { readFileSync } from 'node:fs';
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

  const long = 'x'.repeat(100_000);
  const mail = (contentType: string, body: string, extra = '') =>
    `From: Jean Martin <j.martin@dupont-quincaillerie.fr>\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: Commande DUP-2611-042\r\nDate: Mon, 23 Nov 2026 08:47:12 +0100\r\nMIME-Version: 1.0\r\n${extra}Content-Type: ${contentType}\r\n\r\n${body}`;

  it('says so when an e-mail body has a line over the cap, naming the part and the line', async () => {
    const { result } = await read(mail('text/plain; charset="utf-8"', `Bonjour,\r\n${long}\r\n\r\nCommande DUP-2611-042\r\n- 12 x VIS-440 vis inox 4x40\r\n- 5 x CHV-6 chevilles nylon 6x30\r\n`), 'commande.eml');
    expect(result.orders[0]?.lines.length).toBe(2);
    const p = result.problems.find((x) => x.code === 'LINE_TOO_LONG');
    expect(p?.message).toBe('commande.eml (text body): 1 line(s) longer than 4096 characters (line 2), read up to that length');
    expect(p?.where).toBe('commande.eml / body (text/plain), line 2');
  });

  it('says so for the text an HTML body gives', async () => {
    const html = `<html><body><p>Bonjour,</p><p>${long}</p><table><tr><td>VIS-440</td><td>vis inox 4x40</td><td>12</td></tr><tr><td>CHV-6</td><td>chevilles</td><td>5</td></tr></table><p>Commande DUP-2611-042</p></body></html>`;
    const { result } = await read(mail('text/html; charset="utf-8"', html), 'commande.eml');
    const p = result.problems.find((x) => x.code === 'LINE_TOO_LONG');
    expect(p?.message).toMatch(/^commande\.eml \(HTML body\): 1 line\(s\) longer than 4096 characters \(line \d+\)/);
    expect(p?.where).toMatch(/^commande\.eml \/ body \(text\/html\), line \d+$/);
  });

  it('says so for a text attachment, naming it', async () => {
    const body = `--b1\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\nCi-joint notre commande.\r\n--b1\r\nContent-Type: text/plain; charset="utf-8"\r\nContent-Disposition: attachment; filename="cde.txt"\r\n\r\n${order('CDE-2026-1142')}${long}\r\n--b1--\r\n`;
    const { result } = await read(mail('multipart/mixed; boundary="b1"', body), 'commande.eml');
    const p = result.problems.find((x) => x.code === 'LINE_TOO_LONG');
    expect(p?.where).toBe('commande.eml / cde.txt, line 7');
  });

  it('refuses an X12 segment over the cap, naming the segment and its line', async () => {
    const edi = readFileSync('fixtures/samples/brico-centre-850-004010.edi', 'latin1').replace('CUR*BY*EUR~', `NTE*GEN*${long}~\nCUR*BY*EUR~`);
    const { result } = await read(Buffer.from(edi, 'latin1'), 'po.edi');
    const p = result.problems.find((x) => x.code === 'LINE_TOO_LONG');
    expect(p?.severity).toBe('error');
    expect(p?.message).toContain('is 100008 characters long, above the 4096 a segment may have; not read');
    expect(p?.where).toBe('segment 5 (line 5)');
  });

  it('refuses an EDIFACT segment over the cap, naming the segment and its line', async () => {
    const edi = readFileSync('fixtures/samples/castel-orders-d96a-unoc-latin1.edi', 'latin1').replace("DTM+137:20261120:102'", `DTM+137:20261120:102'\nFTX+AAI+++${long}'`);
    const { result } = await read(Buffer.from(edi, 'latin1'), 'orders.edi');
    const p = result.problems.find((x) => x.code === 'LINE_TOO_LONG');
    expect(p?.severity).toBe('error');
    expect(p?.where).toBe('segment 5 (line 5)');
  });

  it('cuts lines and texts to their caps', () => {
    const b = boundText(`court\n${'y'.repeat(LIMITS.lineChars + 10)}\nfin`);
    expect(b.linesCut).toBe(1);
    expect(b.firstCutLine).toBe(2);
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
