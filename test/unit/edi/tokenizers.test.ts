import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X12Tokenizer, x12Segments, type X12Segment } from '../../../parsers/edi/x12-tokenizer';
import { EdifactTokenizer, edifactSegments, type EdifactSegment } from '../../../parsers/edi/edifact-tokenizer';

const FIX = join(import.meta.dirname, '../../../fixtures/edi');
const fixture = (p: string): Buffer => readFileSync(join(FIX, p));

function chunked<T>(bytes: Buffer, size: number, tok: { push(b: Buffer): Generator<T>; end(): Generator<T> }): T[] {
  const out: T[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...tok.push(bytes.subarray(i, i + size)));
  out.push(...tok.end());
  return out;
}
const x12Shape = (s: X12Segment[]): string[] => s.map((x) => x.elements.join('|'));
const edifactShape = (s: EdifactSegment[]): string[] => s.map((x) => x.elements.map((e) => e.join(':')).join('+'));

describe('X12 tokenizer', () => {
  it('takes the delimiters from the ISA: * and ~ with CRLF', () => {
    const segs = [...x12Segments(fixture('x12/brico-centre-850-004010.edi'))];
    expect(segs[0]!.delimiters).toEqual({ element: '*', component: ':', repetition: null, segment: '~' });
    expect(segs.map((s) => s.tag)).toEqual(['ISA', 'GS', 'ST', 'BEG', 'CUR', 'REF', 'DTM', 'N1', 'N1', 'N3', 'N4', 'PO1', 'PID', 'PO1', 'PID', 'PO1', 'PID', 'CTT', 'SE', 'GE', 'IEA']);
    expect(segs[3]!.elements).toEqual(['BEG', '00', 'SA', 'BCR-2026-118734', '', '20261120']);
    expect(segs[3]!.line).toBe(4);
    expect(segs[3]!.index).toBe(4);
  });

  it('reads | as element separator, ^ as repetition separator (005010) and : as component separator', () => {
    const segs = [...x12Segments(fixture('x12/brico-depot-so-850-005010-pipe.edi'))];
    expect(segs[0]!.delimiters).toEqual({ element: '|', component: ':', repetition: '^', segment: '~' });
    expect(segs.find((s) => s.tag === 'REF')!.elements).toEqual(['REF', 'ZZ', 'LOT A^LOT B']);
  });

  it('treats line feeds as terminators when nothing else follows ISA16', () => {
    const segs = [...x12Segments(fixture('x12/leroy-maison-850-lf-terminated.edi'))];
    expect(segs[0]!.delimiters.segment).toBe('\n');
    expect(segs[0]!.delimiters.component).toBe('>');
    expect(segs.map((s) => s.tag).slice(-3)).toEqual(['SE', 'GE', 'IEA']);
  });

  it('joins segments that an 80-column VAN wrapped, even inside the ISA and inside elements', () => {
    const t = new X12Tokenizer();
    const segs = [...x12Segments(fixture('x12/weber-850-wrapped80-test-ackrequested.edi'), t)];
    expect(t.problems).toEqual([]);
    expect(segs[0]!.elements[13]).toBe('000000913');
    expect(segs.filter((s) => s.tag === 'PO1').map((s) => s.elements[7])).toEqual(['WF-SCHR-440', 'WF-DUEB-8', 'WF-ANKER-M10']);
  });

  it('tolerates a BOM, tab indentation and the U+2026 terminator', () => {
    const t = new X12Tokenizer();
    const segs = [...x12Segments(fixture('x12/bom-tabs-ellipsis-replace.edi'), t)];
    expect(t.problems).toEqual([]);
    expect(segs[0]!.delimiters.segment).toBe('\u2026');
    expect(segs.map((s) => s.tag)).toContain('BEG');
    expect(segs.find((s) => s.tag === 'BEG')!.elements[3]).toBe('BCR-2026-118734');
  });

  it('reads a short ISA that lacks ISA16, saying so', () => {
    const raw = 'ISA*00*          *00*          *ZZ*BRICOCENTRE    *ZZ*FIXRHONEALPES  *261120*0742*U*00401*000004711*0*P*~\nGS*PO*A*B*20261120*0742*1*X*004010~\nGE*0*1~\nIEA*1*000004711~\n';
    const t = new X12Tokenizer();
    const segs = [...x12Segments(Buffer.from(raw), t)];
    expect(segs.map((s) => s.tag)).toEqual(['ISA', 'GS', 'GE', 'IEA']);
    expect(t.problems[0]!.message).toMatch(/ISA16 .* missing/);
  });

  it('gives the same segments whatever the chunk size (streaming)', () => {
    for (const f of ['x12/brico-depot-so-850-005010-pipe.edi', 'x12/weber-850-wrapped80-test-ackrequested.edi', 'x12/bom-tabs-ellipsis-replace.edi', 'x12/multi-interchange-multi-group.edi', 'x12/leroy-maison-850-lf-terminated.edi']) {
      const bytes = fixture(f);
      const whole = x12Shape([...x12Segments(bytes)]);
      for (const size of [1, 2, 3, 7, 64, 1000]) expect(x12Shape(chunked(bytes, size, new X12Tokenizer())), `${f} in chunks of ${size}`).toEqual(whole);
    }
  });

  it('reports bytes that are not X12 with their line, and finds the next ISA', () => {
    const good = fixture('x12/brico-centre-850-004010.edi');
    const t = new X12Tokenizer();
    const segs = [...x12Segments(Buffer.concat([Buffer.from('Bonjour,\nci-joint notre commande\n'), good]), t)];
    expect(segs[0]!.tag).toBe('ISA');
    expect(segs[0]!.line).toBe(3);
    expect(t.problems).toHaveLength(1);
    expect(t.problems[0]).toMatchObject({ code: 'EDI_SYNTAX', where: 'line 1' });
  });
});

describe('EDIFACT tokenizer', () => {
  it('uses the default separators without UNA and decodes UNOC as Latin-1', () => {
    const bytes = fixture('edifact/castel-orders-d96a-unoc-latin1.edi');
    expect(bytes.includes(Buffer.from('Bruy\xe8res', 'latin1'))).toBe(true); // really Latin-1 on disk
    const t = new EdifactTokenizer();
    const segs = [...edifactSegments(bytes, t)];
    expect(t.problems).toEqual([]);
    const dp = segs.find((s) => s.tag === 'NAD' && s.elements[1]![0] === 'DP')!;
    expect(dp.elements[5]).toEqual(['ZAC des Bruyères']);
    const imd = segs.find((s) => s.tag === 'IMD')!;
    expect(imd.elements[3]).toEqual(['', '', '', 'Vis agglo zinguée 5x60 + 10% gratuit']);
  });

  it('honours a UNA with decimal comma and the release character (?\' ?: ?+)', () => {
    const segs = [...edifactSegments(fixture('edifact/leroy-maison-orders-decimal-comma-test.edi'))];
    expect(segs[0]!.delimiters.decimal).toBe(',');
    const ftx = segs.find((s) => s.tag === 'FTX')!;
    expect(ftx.elements[4]).toEqual(["Livraison quai n°3: appeler M. L'Hôte avant"]);
  });

  it('honours custom separators from the UNA (= * ~) on a single line', () => {
    const segs = [...edifactSegments(fixture('edifact/cbf-orders-custom-una-one-line.edi'))];
    expect(segs[0]!.elements).toEqual([['UNB'], ['UNOC', '3'], ['5412345000013', '14'], ['3012345000008', '14'], ['261120', '0930'], ['CBF2611200004']]);
    expect(segs.map((s) => s.tag)).toContain('UNZ');
  });

  it('decodes UNOW as UTF-8', () => {
    const segs = [...edifactSegments(fixture('edifact/weber-orders-unow-ung.edi'))];
    const dp = segs.find((s) => s.tag === 'NAD' && s.elements[1]![0] === 'DP')!;
    expect(dp.elements[5]).toEqual(['Hans-Bunte-Straße 10']);
  });

  it('warns when a UNOC interchange is written in UTF-8, and still reads the accents', () => {
    const raw = Buffer.from("UNB+UNOC:3+3020000000031:14+3012345000008:14+261120:0815+1'UNH+1+ORDERS:D:96A:UN'NAD+DP+++Entrepôt'UNT+3+1'UNZ+1+1'", 'utf8');
    const t = new EdifactTokenizer();
    const segs = [...edifactSegments(raw, t)];
    expect(segs[2]!.elements[4]).toEqual(['Entrepôt']);
    expect(t.problems[0]).toMatchObject({ code: 'EDI_CHARSET', severity: 'warning' });
  });

  it('does not end a segment on an escaped terminator split across chunks', () => {
    const raw = Buffer.from("UNA:+.? 'UNB+UNOC:3+A+B+261120:0815+1'UNH+1+ORDERS:D:96A:UN'FTX+AAI+++L?'Isle d?'Abeau ???' fin'UNT+3+1'UNZ+1+1'");
    const whole = edifactShape([...edifactSegments(raw)]);
    expect(whole[2]).toBe("FTX+AAI+++L'Isle d'Abeau ?' fin");
    for (let size = 1; size < 12; size++) expect(edifactShape(chunked(raw, size, new EdifactTokenizer()))).toEqual(whole);
  });

  it('joins segments hard-wrapped every 15 characters', () => {
    const raw = fixture('edifact/castel-orders-d96a-unoc-latin1.edi').toString('latin1').replace(/\n/g, '');
    const wrapped = Buffer.from(raw.replace(/(.{15})/g, '$1\r\n'), 'latin1');
    expect(edifactShape([...edifactSegments(wrapped)])).toEqual(edifactShape([...edifactSegments(fixture('edifact/castel-orders-d96a-unoc-latin1.edi'))]));
  });

  it('reports bytes that are not EDIFACT', () => {
    const t = new EdifactTokenizer();
    expect([...edifactSegments(Buffer.from('hello world'), t)]).toEqual([]);
    expect(t.problems[0]).toMatchObject({ code: 'EDI_SYNTAX' });
  });
});
