// pdf.js (legacy build, the one that runs on Node 20), loaded once, with the built-ins it replaces put
// back: on Node 20 its core-js polyfills swap Array.prototype.push and JSON.parse for JavaScript
// versions, which made every push in this process (pdf.js's lexer, the layout reader) three times slower.
// pdf.js itself needs neither: the polyfills only fix edge cases it never meets.
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const NATIVES = { push: Array.prototype.push, parse: JSON.parse };

/** Puts back the natives a polyfill replaced. */
export function restoreNatives(): void {
  if (Array.prototype.push !== NATIVES.push) Object.defineProperty(Array.prototype, 'push', { value: NATIVES.push, writable: true, configurable: true, enumerable: false });
  if (JSON.parse !== NATIVES.parse) Object.defineProperty(JSON, 'parse', { value: NATIVES.parse, writable: true, configurable: true, enumerable: false });
}

let loaded: Promise<PdfJs> | undefined;

export function pdfjs(): Promise<PdfJs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((m) => {
    restoreNatives();
    return m;
  });
  return loaded;
}
