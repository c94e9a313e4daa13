// The OCR worker pool's life cycle: no hanging process, no use after close, failed starts reported.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OcrPool } from '../../../parsers/ocr/engine';

describe('OCR pool', () => {
  it('lets a process that used it exit on its own, after a failed start and a real page', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/unit/ocr/helpers/pool-exit.ts'], { encoding: 'utf8', timeout: 60_000 });
    // Killed by the timeout (signal set) means a worker thread kept the process alive.
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain('init: OCR_INIT_FAILED');
    expect(r.stdout).toContain('words: VIS-440 douze 12');
    expect(r.stdout).toContain('lines: 1');
    expect(r.status).toBe(0);
  }, 70_000);

  it('refuses work once closed, with a typed error', async () => {
    const pool = new OcrPool({ size: 1 });
    await pool.close();
    await expect(pool.recognize(Buffer.alloc(10), { dpi: 200 })).rejects.toMatchObject({ code: 'OCR_CLOSED' });
  });
});

describe('OCR pool recycling', () => {
  it('retires a worker after a page above the pixel limit and starts a fresh one for the next', async () => {
    const pool = new OcrPool({ size: 1, recyclePixels: 1_000 });
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
