// pdfimages under load: stopped at its time limit, it is run again with more time, and a machine
// too busy is never taken for a broken PDF (parsers/pdf/scanned.ts).
import { describe, expect, it } from 'vitest';
import { PdfImagesBusyError, runPdfImages } from '../../../parsers/pdf/scanned';
import { ReaderBusyError } from '../../../parsers/types';

const killed = () => Object.assign(new Error('Command failed: pdfimages'), { killed: true, signal: 'SIGTERM' });

describe('runPdfImages', () => {
  it('runs again with twice the time after a run stopped at its limit', async () => {
    const limits: number[] = [];
    const out = await runPdfImages(['-list', 'in.pdf'], 300_000, async (_args, ms) => {
      limits.push(ms);
      if (limits.length < 3) throw killed();
      return { stdout: 'ok' };
    });
    expect(out.stdout).toBe('ok');
    expect(limits).toEqual([25_000, 50_000, 85_000]);
  });

  it('gives a big PDF more time from the start', async () => {
    const limits: number[] = [];
    await runPdfImages([], 6_500_000, async (_args, ms) => {
      limits.push(ms);
      return { stdout: '' };
    });
    expect(limits).toEqual([55_000]);
  });

  it('after three runs stopped at their limit, says the machine is busy, not that the PDF is broken', async () => {
    let runs = 0;
    const err = await runPdfImages([], 1000, async () => {
      runs++;
      throw killed();
    }).catch((e: unknown) => e);
    expect(runs).toBe(3);
    expect(err).toBeInstanceOf(PdfImagesBusyError);
    expect(err).toBeInstanceOf(ReaderBusyError);
    expect((err as Error).message).toMatch(/stopped at its time limit 3 time\(s\) \(1\d\d s in all\): the machine is too busy, the PDF is not known to be broken/);
  });

  it('passes any other failure through at once', async () => {
    let runs = 0;
    const err = await runPdfImages([], 1000, async () => {
      runs++;
      throw new Error('Syntax Error: Couldn\'t read xref table');
    }).catch((e: unknown) => e);
    expect(runs).toBe(1);
    expect(err).not.toBeInstanceOf(PdfImagesBusyError);
  });
});
