// The EDI transport without a server: receiving (acknowledgment, duplicates, refusals, nothing
// lost), the HTTP endpoint through fastify's inject, a partner's drop folder, confirmations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { ROOT } from '../../../worker/config';
import { parsePartners, type Partner } from '../../../channels/edi/partners';
import { SeenStore } from '../../../storage/edi-records';
import { ackBody, receiveEdi, type ReceiveDeps } from '../../../channels/edi/receive';
import { registerEdiEndpoints } from '../../../channels/edi/http';
import { watchPartnerFolders } from '../../../channels/edi/folder';
import { createConfirmer, lineDecisions } from '../../../channels/edi/confirm';
import { DocumentStore } from '../../../storage/document-store';
import { readInterchange } from '../../../parsers/edi/index';
import type { Submission } from '../../../intake/submit';
import type { HttpServer } from '../../../http/server';
import type { Order } from '../../../domain/order';
import { loadMasterData } from '../../../storage/masterdata-source';
import { resolveOrder } from '../../../domain/resolve';
import type { OrderState } from '../../../workflows/definitions';

const fx = (p: string) => readFileSync(join(ROOT, 'fixtures/edi', p));
const X850 = fx('x12/brico-centre-850-004010.edi');
const log = pino({ level: 'silent' });
// The example partners, with their drop folders inside the test's data folder.
const PARTNERS: Partner[] = parsePartners(readFileSync(join(ROOT, 'channels/edi/partners.example.yaml'), 'utf8').replaceAll('/srv/edi/', 'drop/'));
const brico = PARTNERS.find((p) => p.id === 'brico-centre')!;
const castel = PARTNERS.find((p) => p.id === 'castel')!;

let dir: string;
let seen: SeenStore;
let submitted: { bytes: Buffer; s: Submission }[];
let deps: ReceiveDeps;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edi-transport-'));
  seen = new SeenStore(join(dir, 'edi', 'edi.sqlite'));
  submitted = [];
  deps = { partners: PARTNERS, seen, dataDir: dir, log, submit: async (bytes, s) => (submitted.push({ bytes, s }), { sha256: 'x' }) };
});
afterEach(() => {
  seen.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (iso: string) => ({ fileName: 'po.edi', receivedAt: iso, via: 'http' });

describe('receiveEdi', () => {
  it('ingests a new 850 with its partner and control number and answers with a 997', async () => {
    const r = await receiveEdi(X850, brico, at('2026-11-23T08:00:00Z'), deps);
    expect(r.outcome).toBe('accepted');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.s).toMatchObject({ channel: 'edi', context: { partner: 'brico-centre', controlNumber: '000004711', via: 'http' } });
    expect(r.acks.map((a) => [a.kind, a.status])).toEqual([['997', 'A']]);
    const ack = ackBody(r.acks).toString('latin1');
    expect(ack).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*FIXRHONEALPES {2}\*ZZ\*BRICOCENTRE {4}\*/);
    expect(ack).toContain('AK1*PO*');
    expect(ack).toContain('AK9*A*1*1*1');
    // The 997 is itself an interchange we could read back: an acknowledgment, never acknowledged.
    expect(readInterchange(ackBody(r.acks)).interchanges[0]!.acknowledgmentOnly).toBe(true);
  });

  it('takes the same control number within 30 days as a re-send: not ingested, the same acknowledgment', async () => {
    const first = await receiveEdi(X850, brico, at('2026-11-01T08:00:00Z'), deps);
    const again = await receiveEdi(X850, brico, at('2026-11-23T08:00:00Z'), deps);
    expect(again.outcome).toBe('duplicate');
    expect(submitted).toHaveLength(1);
    expect(ackBody(again.acks).equals(ackBody(first.acks))).toBe(true);
    expect(again.problems.map((p) => p.code)).toContain('EDI_DUPLICATE_INTERCHANGE');
  });

  it('takes other bytes under a used control number as a reuse: refused with TA1 025, ingested for the quarantine', async () => {
    const first = await receiveEdi(X850, brico, at('2026-11-01T08:00:00Z'), deps);
    const edited = Buffer.from(X850.toString('latin1').replace('PO1*1*', 'PO1*01*'), 'latin1');
    const reused = await receiveEdi(edited, brico, at('2026-11-23T09:00:00Z'), deps);
    expect(reused.outcome).toBe('control-number-reused');
    // Not the first acknowledgment again: a negative TA1, "duplicate interchange control number".
    expect(reused.acks.map((a) => [a.kind, a.status])).toEqual([['TA1', 'R']]);
    expect(ackBody(reused.acks).toString('latin1')).toMatch(/TA1\*000004711\*\d{6}\*\d{4}\*R\*025/);
    expect(ackBody(reused.acks).equals(ackBody(first.acks))).toBe(false);
    // Ingested, with what the pipeline needs to quarantine it with its own code.
    expect(submitted).toHaveLength(2);
    const context = submitted[1]!.s.context!;
    expect(JSON.parse(context.reusedControlNumbers!)).toEqual([{ controlNumber: '000004711', firstReceipt: expect.stringContaining('2026-11-01T08:00:00.000Z') }]);
    const problem = reused.problems.find((p) => p.code === 'EDI_CONTROL_NUMBER_REUSED');
    expect(problem?.severity).toBe('error');
    expect(problem?.message).toMatch(/interchange 000004711 from ZZ:BRICOCENTRE reuses a control number first received from partner brico-centre on 2026-11-01/);
    // The same reused file once more is a re-send of it: the same negative TA1, nothing ingested.
    const again = await receiveEdi(edited, brico, at('2026-11-23T10:00:00Z'), deps);
    expect(again.outcome).toBe('duplicate');
    expect(ackBody(again.acks).equals(ackBody(reused.acks))).toBe(true);
    expect(submitted).toHaveLength(2);
  });

  it('takes two simultaneous uploads of one interchange as one order', async () => {
    const [a, b] = await Promise.all([receiveEdi(X850, brico, at('2026-11-23T08:00:00Z'), deps), receiveEdi(X850, brico, at('2026-11-23T08:00:01Z'), deps)]);
    expect([a.outcome, b.outcome]).toEqual(['accepted', 'duplicate']);
    expect(submitted).toHaveLength(1);
  });

  it('takes a control number older than 30 days as a new interchange (numbers wrap around)', async () => {
    await receiveEdi(X850, brico, at('2026-10-01T08:00:00Z'), deps);
    const later = await receiveEdi(X850, brico, at('2026-11-23T08:00:00Z'), deps);
    expect(later.outcome).toBe('accepted');
    expect(submitted).toHaveLength(2);
  });

  it('answers a broken interchange negatively and still ingests it (the pipeline quarantines it)', async () => {
    const r = await receiveEdi(fx('x12/broken-counts.edi'), brico, at('2026-11-23T08:00:00Z'), deps);
    expect(r.outcome).toBe('accepted');
    expect(r.acks.map((a) => [a.kind, a.status])).toEqual([['997', 'R']]);
    expect(ackBody(r.acks).toString('latin1')).toMatch(/AK5\*R\*4/);
    expect(submitted).toHaveLength(1);
    const env = await receiveEdi(fx('x12/control-number-mismatch.edi'), brico, at('2026-11-23T08:00:00Z'), deps);
    expect(env.acks.map((a) => [a.kind, a.status])).toEqual([['TA1', 'R']]);
    expect(submitted).toHaveLength(2);
  });

  it('ingests bytes that are not EDI (quarantine) without any acknowledgment', async () => {
    const r = await receiveEdi(fx('other/not-edi.edi'), brico, at('2026-11-23T08:00:00Z'), deps);
    expect(r.outcome).toBe('unreadable');
    expect(r.acks).toEqual([]);
    expect(r.problems[0]).toMatchObject({ code: 'EDI_SYNTAX', where: 'byte 0' });
    expect(submitted).toHaveLength(1);
  });

  it('never acknowledges an acknowledgment, and keeps it', async () => {
    const r = await receiveEdi(fx('x12/997-from-partner.edi'), brico, at('2026-11-23T08:00:00Z'), deps);
    expect(r.outcome).toBe('acknowledgment-received');
    expect(r.acks).toEqual([]);
    expect(submitted).toHaveLength(0);
    expect(readFileSync(r.keptAt!).equals(fx('x12/997-from-partner.edi'))).toBe(true);
  });

  it("refuses an interchange whose envelope names another partner's sender", async () => {
    const r = await receiveEdi(fx('edifact/castel-orders-d96a-unoc-latin1.edi'), brico, at('2026-11-23T08:00:00Z'), deps);
    expect(r.outcome).toBe('wrong-sender');
    expect(r.problems[0]).toMatchObject({ code: 'EDI_WRONG_SENDER', where: 'UNB 0004' });
    expect(submitted).toHaveLength(0);
    expect(existsSync(r.keptAt!)).toBe(true);
  });

  it('numbers our acknowledgments from a per-partner counter that survives a restart', async () => {
    const a = await receiveEdi(X850, brico, at('2026-11-23T08:00:00Z'), deps);
    seen.close();
    seen = new SeenStore(join(dir, 'edi', 'edi.sqlite'));
    deps = { ...deps, seen };
    const b = await receiveEdi(fx('x12/bom-tabs-ellipsis-replace.edi'), brico, at('2026-11-23T08:05:00Z'), deps);
    const isa13 = (x: Buffer) => x.toString('latin1').split('*')[13];
    expect(isa13(a.acks[0]!.bytes)).toBe('000000001');
    expect(isa13(b.acks[0]!.bytes)).toBe('000000002');
  });
});

describe('POST /edi/:partner', () => {
  async function app() {
    const a = Fastify();
    registerEdiEndpoints(a as unknown as HttpServer, deps);
    await a.ready();
    return a;
  }
  const post = (partner: string, key: string | null, payload: Buffer) =>
    app().then((a) => a.inject({ method: 'POST', url: `/edi/${partner}`, payload, headers: { 'content-type': 'application/edi-x12', ...(key ? { 'x-api-key': key } : {}) } }));

  it('answers a good upload with the 997 itself', async () => {
    const res = await post('brico-centre', 'demo-brico-centre-2026', X850);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/edi-x12');
    expect(res.headers['x-aiguillage-outcome']).toBe('accepted');
    expect(res.body).toContain('AK9*A*1*1*1');
  });

  it('refuses a wrong or missing key (401), an unknown partner (404), an oversized body (413)', async () => {
    expect((await post('brico-centre', 'demo-brico-centre-2025', X850)).statusCode).toBe(401);
    expect((await post('brico-centre', null, X850)).statusCode).toBe(401);
    expect((await post('nobody', 'demo-brico-centre-2026', X850)).statusCode).toBe(404);
    // castel only drops files in its folder: no HTTP for it.
    expect((await post('castel', 'demo-castel-2026', X850)).statusCode).toBe(404);
    const big = Buffer.concat([X850, Buffer.alloc(brico.transport.http!.maxBytes, 0x20)]);
    const res = await post('brico-centre', 'demo-brico-centre-2026', big);
    expect(res.statusCode).toBe(413);
    expect(submitted).toHaveLength(0);
  });

  it('checks few keys at once: a flood of wrong keys gets 503 at once, never a queue on the event loop', async () => {
    const a = Fastify();
    registerEdiEndpoints(a as unknown as HttpServer, deps, 2);
    await a.ready();
    const flood = await Promise.all(Array.from({ length: 10 }, (_, i) => a.inject({ method: 'POST', url: '/edi/brico-centre', payload: X850, headers: { 'content-type': 'application/edi-x12', 'x-api-key': `wrong-${i}` } })));
    const statuses = flood.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    expect(flood.find((r) => r.statusCode === 503)!.headers['retry-after']).toBe('1');
    expect(submitted).toHaveLength(0);
    // Once the checks are done, the next upload is checked as usual.
    const ok = await a.inject({ method: 'POST', url: '/edi/brico-centre', payload: X850, headers: { 'content-type': 'application/edi-x12', 'x-api-key': 'demo-brico-centre-2026' } });
    expect(ok.statusCode).toBe(200);
  });

  it('takes the key as a bearer token too', async () => {
    const a = await app();
    const res = await a.inject({ method: 'POST', url: '/edi/brico-centre', payload: X850, headers: { 'content-type': 'text/plain', authorization: 'Bearer demo-brico-centre-2026' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('partner drop folder', () => {
  it('takes a stable file, writes the acknowledgment to the outbox and moves the file to .done', async () => {
    const p = PARTNERS.find((x) => x.id === 'cbf')!;
    const inbox = join(dir, p.transport.folder!.inbox);
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'ORD0004.edi'), fx('edifact/cbf-orders-custom-una-one-line.edi'));
    const w = watchPartnerFolders(deps, 0);
    expect(await w.scan()).toBe(0); // first sight: maybe still being written
    expect(await w.scan()).toBe(1);
    w.close();
    expect(readdirSync(inbox).filter((n) => !n.startsWith('.'))).toEqual([]);
    const outbox = join(dir, p.transport.folder!.outbox);
    expect(readdirSync(outbox)).toEqual(['ORD0004.contrl.edi']);
    expect(readFileSync(join(outbox, 'ORD0004.contrl.edi'), 'latin1')).toMatch(/~UNH\*1\*CONTRL=D=3=UN~UCI\*CBF2611200004\*/);
    expect(submitted[0]!.s.context).toMatchObject({ partner: 'cbf', controlNumber: 'CBF2611200004' });
  });

  it('writes nothing back to a partner that wants no functional acknowledgment', async () => {
    const inbox = join(dir, castel.transport.folder!.inbox);
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'c.edi'), fx('edifact/castel-orders-d96a-unoc-latin1.edi'));
    const w = watchPartnerFolders(deps, 0);
    await w.scan();
    expect(await w.scan()).toBe(1);
    w.close();
    expect(readdirSync(join(dir, castel.transport.folder!.outbox))).toEqual([]);
    expect(submitted).toHaveLength(1);
  });
});

describe('confirmations', () => {
  const line = (n: number, over: Partial<Order['lines'][number]> = {}) => ({ lineNumber: n, sku: 'VIS-440', quantity: 10, unitPrice: 1.5, ...over }) as Order['lines'][number];
  const order = (lines: Order['lines']) => ({ lines }) as Order;

  it('accepts lines as sent, rejects unknown items and reports changed quantities', () => {
    const sent = order([line(1), line(2, { sku: null }), line(3)]);
    const now = order([line(1), line(2, { sku: null }), line(3, { quantity: 8 })]);
    expect(lineDecisions(sent, now)).toEqual([
      { lineNumber: 1, status: 'accepted' },
      { lineNumber: 2, status: 'rejected' },
      { lineNumber: 3, status: 'changed', quantity: 8, unitPrice: 1.5 },
    ]);
    expect(lineDecisions(sent, sent, true).every((d) => d.status === 'rejected')).toBe(true);
  });

  it('writes an 855 to the outbox once per order, from the document the partner sent', async () => {
    const store = new DocumentStore(dir);
    const { meta } = await store.put(X850, { fileName: 'po.edi', mediaType: 'application/edi-x12', channel: 'edi', receivedAt: '2026-11-23T08:00:00.000Z', context: { partner: 'brico-centre' } });
    const read = readInterchange(X850);
    const sent = resolveOrder(read.orders[0]!, loadMasterData(join(ROOT, 'fixtures/masterdata'))).order;
    await store.putResult(meta.sha256, { extracted: [{ order: sent, problems: [] }], problems: [] });
    const state = { orderId: 'C002-X', status: 'routed', order: sent, documents: [{ sha256: meta.sha256, channel: 'edi', role: 'original', index: 0 }] } as unknown as OrderState;
    const confirm = createConfirmer({ partners: PARTNERS, store, seen, dataDir: dir, log, now: () => new Date('2026-11-23T08:10:00Z') });
    await confirm(state);
    await confirm(state); // a retried activity
    const outbox = join(dir, brico.transport.folder!.outbox);
    const files = readdirSync(outbox);
    expect(files).toHaveLength(1);
    const text = readFileSync(join(outbox, files[0]!), 'latin1');
    expect(text).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*FIXRHONEALPES {2}\*ZZ\*BRICOCENTRE {4}\*/);
    expect(text).toContain('ST*855*');
    expect(text).toContain(`BAK*00*`);
    // The partner's own unit codes and item identifiers, read back from its 850, each line acknowledged as sent.
    expect(text.split('~').filter((x) => /^(PO1|ACK)\*/.test(x))).toEqual([
      'PO1*1*48*BX*18.9**VP*VIS-440*BP*BCR-100234',
      'ACK*IA*48*BX',
      'PO1*2*120*BX*5.6**BP*BCR-100240',
      'ACK*IA*120*BX',
      'PO1*3*24*EA*11.2**EN*3760123452595',
      'ACK*IA*24*EA',
    ]);
    expect(readdirSync(join(dir, 'edi', 'confirmations'))).toEqual(files);
  });

  it('sends a change (BAK01 04) when the ADV enters a corrected line or rejects the order, and nothing when nothing changed', async () => {
    const store = new DocumentStore(dir);
    const { meta } = await store.put(X850, { fileName: 'po.edi', mediaType: 'application/edi-x12', channel: 'edi', receivedAt: '2026-11-23T08:00:00.000Z', context: { partner: 'brico-centre' } });
    const sent = resolveOrder(readInterchange(X850).orders[0]!, loadMasterData(join(ROOT, 'fixtures/masterdata'))).order;
    await store.putResult(meta.sha256, { extracted: [{ order: sent, problems: [] }], problems: [] });
    const documents = [{ sha256: meta.sha256, channel: 'edi', role: 'original', index: 0 }];
    const at = (iso: string) => [{ at: iso, event: 'x', by: null, detail: null }];
    const routed = { orderId: 'C002-Y', status: 'routed', order: sent, documents, history: at('2026-11-23T08:05:00Z') } as unknown as OrderState;
    let clock = new Date('2026-11-23T08:10:00Z');
    const confirm = createConfirmer({ partners: PARTNERS, store, seen, dataDir: dir, log, now: () => clock });
    const outbox = join(dir, brico.transport.folder!.outbox);
    const bak = () => readdirSync(outbox).sort().map((f) => readFileSync(join(outbox, f), 'latin1').split('~').find((x) => x.startsWith('BAK*'))!.split('*').slice(0, 3).join('*'));

    await confirm(routed);
    // Entered as confirmed: nothing new for the partner.
    clock = new Date('2026-11-23T09:10:00Z');
    await confirm({ ...routed, status: 'entered', history: at('2026-11-23T09:00:00Z') } as OrderState);
    expect(bak()).toEqual(['BAK*00*AD']);

    // Entered with line 2 corrected from 120 to 100: a change, line by line, once (a retry sends the same file).
    const corrected = { ...sent, lines: sent.lines.map((l) => (l.lineNumber === 2 ? { ...l, quantity: 100 } : l)) };
    const entered = { ...routed, status: 'entered', order: corrected, history: at('2026-11-23T09:30:00Z') } as OrderState;
    clock = new Date('2026-11-23T09:31:00Z');
    await confirm(entered);
    await confirm(entered);
    expect(bak()).toEqual(['BAK*00*AD', 'BAK*04*AC']);
    const change = readFileSync(join(outbox, readdirSync(outbox).sort()[1]!), 'latin1').split('~');
    expect(change.filter((x) => x.startsWith('ACK*'))).toEqual(['ACK*IA*48*BX', 'ACK*IQ*100*BX', 'ACK*IA*24*EA']);
    expect(seen.confirmations('C002-Y').map((c) => [c.seq, c.kind])).toEqual([[1, '855'], [2, '855']]);

    // Rejected afterwards: every line rejected, as a change again.
    clock = new Date('2026-11-23T10:01:00Z');
    await confirm({ ...entered, status: 'rejected', history: at('2026-11-23T10:00:00Z') } as OrderState);
    expect(bak()).toEqual(['BAK*00*AD', 'BAK*04*AC', 'BAK*04*RD']);
  });

  it('answers an EDIFACT ORDERS with an ORDRSP in the partner’s directory version, units and identifiers', async () => {
    const file = fx('edifact/castel-orders-d96a-unoc-latin1.edi');
    const confirming = { ...castel, acknowledge: { ...castel.acknowledge, confirmation: true } };
    const store = new DocumentStore(dir);
    const { meta } = await store.put(file, { fileName: 'po.edi', mediaType: 'application/edifact', channel: 'edi', receivedAt: '2026-11-23T08:00:00.000Z', context: { partner: 'castel' } });
    const sent = resolveOrder(readInterchange(file).orders[0]!, loadMasterData(join(ROOT, 'fixtures/masterdata'))).order;
    await store.putResult(meta.sha256, { extracted: [{ order: sent, problems: [] }], problems: [] });
    const state = { orderId: 'C008-X', status: 'routed', order: sent, documents: [{ sha256: meta.sha256, channel: 'edi', role: 'original', index: 0 }] } as unknown as OrderState;
    await createConfirmer({ partners: [confirming], store, seen, dataDir: dir, log, now: () => new Date('2026-11-23T08:10:00Z') })(state);
    const files = readdirSync(join(dir, castel.transport.folder!.outbox));
    expect(files).toHaveLength(1);
    const segs = readFileSync(join(dir, castel.transport.folder!.outbox, files[0]!), 'latin1').split("'");
    expect(segs.find((x) => x.startsWith('UNH'))).toBe('UNH+1+ORDRSP:D:96A:UN:EAN005');
    expect(segs.filter((x) => /^(LIN|PIA|QTY)\+/.test(x)).slice(0, 3)).toEqual(['LIN+1+5+3760123450218:SRV', 'PIA+1+CB-77001:IN', 'QTY+21:80:PCE']);
  });
});
