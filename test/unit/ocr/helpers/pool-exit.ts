// Run as a child process by pool.test.ts: uses the OCR engine the way the CLI does and never
// closes anything explicitly. The process must end on its own (no worker thread left alive).
import sharp from 'sharp';
import { OcrError, OcrPool } from '../../../../parsers/ocr/engine';
import { ocrImagePage, sharedOcrPool } from '../../../../parsers/ocr/index';

async function main(): Promise<void> {
  // A start that cannot finish in time: reported, and the late worker is stopped when it arrives.
  const slow = new OcrPool({ size: 1, initTimeoutMs: 1 });
  await slow.recognize(Buffer.alloc(10), { dpi: 200 }).catch((e: unknown) => console.log(`init: ${(e as OcrError).code}`));

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="120"><rect width="100%" height="100%" fill="white"/><text x="20" y="70" font-family="DejaVu Sans" font-size="40">VIS-440 douze 12</text></svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  const page = await ocrImagePage(png, { xDpi: 200 });
  console.log(`words: ${page.words.map((w) => w.text).join(' ')}`);
  console.log(`lines: ${new Set(page.words.map((w) => w.lineId)).size}`);
  console.log(`engine: ${sharedOcrPool().engine}`);
}

main().catch((e: unknown) => {
  console.log(`failed: ${(e as Error).message}`);
  process.exitCode = 1;
});
