// For tuning the readers on the corpus's development half: each page's OCR words kept on disk,
// keyed by the prepared image's bytes and the engine settings, and reused on the next run. A
// change to the image preparation changes the key, so it is read again; only the readers after
// OCR run from the cache. Never used by the product.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../storage/atomic';
import type { OcrPageResult, OcrRecognizer } from '../parsers/ocr/engine';

export function cachingRecognizer(pool: OcrRecognizer & { model?: string; engine?: string }, dir: string): OcrRecognizer {
  mkdirSync(dir, { recursive: true });
  return {
    size: pool.size,
    async recognize(image, opts, pixels) {
      const key = createHash('sha256').update(JSON.stringify({ opts, engine: pool.engine ?? '', model: pool.model ?? '' })).update(image).digest('hex');
      const file = join(dir, `${key}.json`);
      if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as OcrPageResult;
      const r = await pool.recognize(image, opts, pixels);
      writeFileAtomicSync(file, JSON.stringify(r));
      return r;
    },
  };
}
