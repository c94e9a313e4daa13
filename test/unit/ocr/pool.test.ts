// The OCR worker pool's life cycle: no hanging process, no use after close, failed starts reported.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OcrPool, type OcrEngineKind } from '../../../parsers/ocr/engine';
import { nativeEngineBinary } from '../../../parsers/ocr/native';

const engines: OcrEngineKind[] = nativeEngineBinary() ? ['native', 'tesseract.js'] : ['tesseract.js'];

describe.each(engines)('OCR pool, engine %s', (engine) => {
  it('lets a process that used it exit on its own, after a failed start and a real page', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/unit/ocr/helpers/pool-exit.ts'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, AIGUILLAGE_OCR_ENGINE: engine } });
    // Killed by the timeout (signal set) means a worker thread kept the process alive.
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain('init: OCR_INIT_FAILED');
    expect(r.stdout).toContain('words: VIS-440 douze 12');
    expect(r.stdout).toContain('lines: 1');
    expect(r.stdout).toContain(`engine: ${engine}`);
    expect(r.status).toBe(0);
  }, 70_000);

  it('refuses work once closed, with a typed error', async () => {
    const pool = new OcrPool({ size: 1, engine });
    await pool.close();
    await expect(pool.recognize(Buffer.alloc(10), { dpi: 200 })).rejects.toMatchObject({ code: 'OCR_CLOSED' });
  });
});

describe.each(engines)('OCR pool recycling, engine %s', (engine) => {
  it('retires a worker after a page above the pixel limit and starts a fresh one for the next', async () => {
    const pool = new OcrPool({ size: 1, recyclePixels: 1_000, engine });
    const page = Buffer.concat([Buffer.from('P5\n64 32\n255\n', 'latin1'), Buffer.alloc(64 * 32, 255)]);
    try {
      await pool.recognize(page, { dpi: 200 }, 64 * 32);
      await pool.recognize(page, { dpi: 200 }, 64 * 32);
      expect(pool.stats).toEqual({ workersStarted: 2, pages: 2 });
      await pool.recognize(page, { dpi: 200 }, 10);
      await pool.recognize(page, { dpi: 200 }, 10);
      expect(pool.stats).toEqual({ workersStarted: 3, pages: 4 });
    } finally {
      await pool.close();
    }
  }, 60_000);
});
