// The native OCR engine (a resident libtesseract process per pool slot): same words as tesseract.js
// on a clean page, and a page that fails, times out or loses its process costs that page only.
// Runs where scripts/build-ocr-engine.sh could build the engine (setup does, with libtesseract-dev).
import { readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { OcrPool } from '../../../parsers/ocr/engine';
import { nativeEngineBinary } from '../../../parsers/ocr/native';

const built = nativeEngineBinary() !== null;

async function textPage(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="140"><rect width="100%" height="100%" fill="white"/><text x="20" y="80" font-family="DejaVu Sans" font-size="40">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).greyscale().png().toBuffer();
}

/** PIDs of this process's aiguillage-ocr children, from /proc (no ps needed). */
function engineChildren(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('aiguillage-ocr')) out.push(Number(d));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

describe.skipIf(!built)('native OCR engine', () => {
  let pool: OcrPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('reads the same words as tesseract.js, with boxes, confidences and line ids', async () => {
    const page = await textPage('VIS-440 douze 12');
    pool = new OcrPool({ size: 1, engine: 'native' });
    const wasm = new OcrPool({ size: 1, engine: 'tesseract.js' });
    try {
      const [n, w] = [await pool.recognize(page, { dpi: 200 }), await wasm.recognize(page, { dpi: 200 })];
      expect(n.words.map((x) => x.text)).toEqual(['VIS-440', 'douze', '12']);
      expect(n.words.map((x) => x.text)).toEqual(w.words.map((x) => x.text));
      expect(n.text).toBe('VIS-440 douze 12');
      expect(new Set(n.words.map((x) => x.lineId)).size).toBe(1);
      for (const [a, b] of n.words.map((x, i) => [x, w.words[i]!] as const)) {
        expect(a.confidence).toBeGreaterThan(0.5);
        expect(a.confidence).toBeLessThanOrEqual(1);
        expect(Math.abs(a.x0 - b.x0)).toBeLessThan(5);
        expect(Math.abs(a.y1 - b.y1)).toBeLessThan(5);
      }
    } finally {
      await wasm.close();
    }
  }, 60_000);

  it('reports an undecodable image as OCR_FAILED and reads the next page in a fresh process', async () => {
    pool = new OcrPool({ size: 1, engine: 'native' });
    await expect(pool.recognize(Buffer.from('P5\n99999 99999\n255\nshort'), { dpi: 200 })).rejects.toMatchObject({ code: 'OCR_FAILED', message: expect.stringContaining('could not be decoded') });
    const r = await pool.recognize(await textPage('CHV-8 cinquante 50'), { dpi: 200 });
    expect(r.words.map((x) => x.text)).toEqual(['CHV-8', 'cinquante', '50']);
    expect(pool.stats).toEqual({ workersStarted: 2, pages: 1 });
  }, 60_000);

  it('loses only the page in flight when its process is killed', async () => {
    pool = new OcrPool({ size: 1, engine: 'native' });
    await pool.warmUp();
    const [pid] = engineChildren();
    expect(pid).toBeGreaterThan(0);
    // A big page keeps the engine busy long enough to be killed mid-page.
    const big = await sharp({ create: { width: 2400, height: 3300, channels: 3, background: '#ffffff' } })
      .composite([{ input: await textPage('EQU-100 deux cents 200'), top: 100, left: 100 }])
      .png()
      .toBuffer();
    const inFlight = pool.recognize(big, { dpi: 200 });
    process.kill(pid!, 'SIGKILL');
    await expect(inFlight).rejects.toMatchObject({ code: 'OCR_FAILED', message: expect.stringContaining('SIGKILL') });
    const r = await pool.recognize(await textPage('VIS-440 douze 12'), { dpi: 200 });
    expect(r.words.map((x) => x.text)).toEqual(['VIS-440', 'douze', '12']);
    expect(engineChildren()).not.toContain(pid);
  }, 60_000);

  it('times a page out with OCR_TIMEOUT instead of waiting for it', async () => {
    pool = new OcrPool({ size: 1, engine: 'native', pageTimeoutMs: 1 });
    const big = await sharp({ create: { width: 2400, height: 3300, channels: 3, background: '#ffffff' } })
      .composite([{ input: await textPage('EQU-100 deux cents 200'), top: 100, left: 100 }])
      .png()
      .toBuffer();
    await expect(pool.recognize(big, { dpi: 200 })).rejects.toMatchObject({ code: 'OCR_TIMEOUT' });
  }, 60_000);

  it('says what is missing when the engine binary is not there', async () => {
    const before = process.env.AIGUILLAGE_OCR_BIN;
    process.env.AIGUILLAGE_OCR_BIN = '/nonexistent/aiguillage-ocr';
    try {
      pool = new OcrPool({ size: 1, engine: 'native' });
      await expect(pool.recognize(await textPage('x'), { dpi: 200 })).rejects.toMatchObject({ code: 'OCR_INIT_FAILED', message: expect.stringContaining('build-ocr-engine.sh') });
    } finally {
      if (before === undefined) delete process.env.AIGUILLAGE_OCR_BIN;
      else process.env.AIGUILLAGE_OCR_BIN = before;
    }
  });
});
