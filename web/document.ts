// The source document beside the extracted order: PDF inline, images (TIFF faxes converted to PNG,
// one per page), the email as read, EDI one segment per line, order JSON pretty-printed.
import { execFile } from 'node:child_process';
import sharp from 'sharp';
import { simpleParser } from 'mailparser';
import type { Order, SourceBox } from '../domain/order';
import { html, raw, type Html } from './html';
import { sniff } from '../parsers/sniff';
import { htmlToText } from '../parsers/email/html';

/** A value read on the page, to outline over the page image: one per order line and header field found. */
export interface Highlight {
  /** 'line-3', 'poNumber'…: ties the box to its row or field on the page (data-hl). */
  key: string;
  label: string;
  box: SourceBox;
  /** Read with doubt: drawn in orange, the doubt as its tooltip. */
  low: boolean;
  doubt: string | null;
}

const HEADER_LABELS: Record<string, string> = { poNumber: 'N° de commande', orderDate: 'Date de commande', requestedDeliveryDate: 'Livraison souhaitée' };

/** The boxes the readers recorded on the order (lines and header fields); none for EDI, API or email bodies. */
export function highlightsOf(o: Pick<Order, 'lines' | 'sources'>): Highlight[] {
  const out: Highlight[] = [];
  for (const [field, box] of Object.entries(o.sources ?? {})) out.push({ key: field, label: HEADER_LABELS[field] ?? field, box, low: false, doubt: null });
  for (const l of o.lines) {
    if (!l.source) continue;
    const low = l.confidence < 0.8 || l.doubts.length > 0;
    out.push({ key: `line-${l.lineNumber}`, label: `Ligne ${l.lineNumber}${l.sku ? ` · ${l.sku}` : ''}`, box: l.source, low, doubt: l.doubts.length ? l.doubts.join(' ; ') : null });
  }
  return out;
}

const pct = (v: number) => Math.round(v * 10000) / 10;

/**
 * One page image with its highlights on top: an SVG in per-mille of the page, stretched over the
 * image, so the boxes follow the image at any width (and need neither inline styles nor script).
 */
export function sheetHtml(src: string, alt: string, pageIndex: number, highlights: Highlight[]): Html {
  const mine = highlights.filter((h) => h.box.page === pageIndex);
  return html`<figure class="sheet" data-page="${pageIndex}"><img alt="${alt}" src="${src}" loading="lazy">${
    mine.length
      ? html`<svg class="hl" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true">${mine.map((h) => {
          // A little air around the words, so the outline does not cut through the letters.
          const x = Math.max(0, pct(h.box.x0) - 3);
          const y = Math.max(0, pct(h.box.y0) - 2);
          const w = Math.min(1000 - x, pct(h.box.x1) - pct(h.box.x0) + 6);
          const hh = Math.min(1000 - y, pct(h.box.y1) - pct(h.box.y0) + 4);
          return html`<rect data-hl="${h.key}" class="${h.low ? 'low' : 'ok'}" x="${x}" y="${y}" width="${w}" height="${hh}"><title>${h.label}${h.doubt ? ` — doute : ${h.doubt}` : ''}</title></rect>`;
        })}</svg>`
      : ''
  }</figure>`;
}

function run(cmd: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd}: ${String(stderr).trim() || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => {}); // the tool may exit before reading everything: its exit code says why
    child.stdin?.end(input);
  });
}

/** Page count of a PDF (poppler's pdfinfo). Throws on a PDF it cannot open. */
export async function pdfPageCount(bytes: Buffer): Promise<number> {
  const out = (await run('pdfinfo', ['-'], bytes)).toString('latin1');
  const m = /^Pages:\s+(\d+)/m.exec(out);
  if (!m) throw new Error('pdfinfo gave no page count');
  return Number(m[1]);
}

/** One PDF page (0-based) as PNG, at a resolution readable on screen (poppler's pdftoppm, crop box as pdf.js uses). */
export async function pdfPagePng(bytes: Buffer, page: number, dpi = 110): Promise<Buffer> {
  const png = await run('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page + 1), '-l', String(page + 1), '-'], bytes);
  if (png.length === 0) throw new Error(`the PDF has no page ${page + 1}`);
  return png;
}

export interface DocRef {
  orderId: string;
  sha256: string;
  mediaType: string;
  fileName: string;
}

const rawUrl = (d: DocRef, suffix = '') => `/orders/${encodeURIComponent(d.orderId)}/documents/${d.sha256}${suffix}`;

/** TIFF pages (a fax has several) as PNG for the browser. Throws on bytes sharp cannot read. */
export async function tiffPageCount(bytes: Buffer): Promise<number> {
  return (await sharp(bytes, { pages: 1 }).metadata()).pages ?? 1;
}
export async function imagePagePng(bytes: Buffer, page: number): Promise<Buffer> {
  return sharp(bytes, { page }).png({ compressionLevel: 6 }).toBuffer();
}

/** X12 ends segments with the ISA's 106th character; EDIFACT with UNA's 6th, else "'". */
export function ediSegments(text: string): string[] {
  const t = text.replace(/^\uFEFF/, '');
  let term = "'";
  let release: string | null = '?';
  if (t.startsWith('ISA') && t.length > 105) {
    term = t[105]!;
    release = null;
  } else if (t.startsWith('UNA') && t.length >= 9) {
    term = t[8]!;
    release = t[6] === ' ' ? null : t[6]!;
  }
  const out: string[] = [];
  let cur = '';
  // The UNA segment declares the separators, its own terminator and release character included.
  const start = t.startsWith('UNA') && t.length >= 9 ? (out.push(t.slice(0, 8)), 9) : 0;
  for (let i = start; i < t.length; i++) {
    const c = t[i]!;
    if (release && c === release && i + 1 < t.length) {
      cur += c + t[++i];
      continue;
    }
    if (c === term) {
      if (cur.trim()) out.push(cur.replace(/^[\r\n]+/, '').trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Highlights: where the order's values were read on this document (none when it is not the one the order was read from). */
export async function renderDocument(d: DocRef, bytes: Buffer, highlights: Highlight[] = []): Promise<Html> {
  const open = html`<p class="small"><a href="${rawUrl(d)}" target="_blank" rel="noopener">Ouvrir l'original</a> · ${d.fileName} · ${d.mediaType} · ${bytes.length.toLocaleString('fr-FR')} octets</p>`;
  const legend = highlights.length
    ? html`<p class="small muted legend"><span><i class="hl-ok"></i>lu</span><span><i class="hl-low"></i>lu avec un doute (survolez)</span> · survolez une ligne du tableau ou un cadre pour les relier</p>`
    : '';
  try {
    if (d.mediaType === 'application/pdf') {
      const iframe = html`<iframe title="${d.fileName}" src="${rawUrl(d)}#view=FitH"></iframe>`;
      // Without highlights the PDF viewer shows it best; with them, page images carry the boxes
      // and the PDF stays one click away.
      if (!highlights.length) return html`${open}${iframe}`;
      const pages = await pdfPageCount(bytes);
      return html`${open}${legend}${Array.from({ length: pages }, (_, i) => sheetHtml(rawUrl(d, `/page/${i + 1}.png`), `${d.fileName}, page ${i + 1}`, i, highlights))}
        <details><summary class="small">PDF dans le navigateur</summary>${iframe}</details>`;
    }
    if (d.mediaType === 'image/tiff') {
      const pages = await tiffPageCount(bytes);
      return html`${open}${legend}${Array.from({ length: pages }, (_, i) => sheetHtml(rawUrl(d, `/page/${i + 1}.png`), `${d.fileName}, page ${i + 1}`, i, highlights))}`;
    }
    if (d.mediaType.startsWith('image/')) return html`${open}${legend}${sheetHtml(rawUrl(d), d.fileName, 0, highlights)}`;
    if (d.mediaType === 'message/rfc822') return html`${open}${await renderEmail(d, bytes)}`;
    const text = bytes.toString('utf8');
    if (d.mediaType === 'application/edi-x12' || d.mediaType === 'application/edifact') {
      const segs = ediSegments(text);
      return html`${open}<pre class="edi">${segs.map((s, i) => {
        const m = /^([A-Z0-9]{2,3})(.*)$/s.exec(s);
        return html`<span class="seg" id="seg-${i + 1}"><span class="ln">${i + 1}</span><b>${m ? m[1] : ''}</b>${m ? m[2] : s}</span>`;
      })}</pre>`;
    }
    if (d.mediaType === 'application/json') {
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Shown as received: the extraction already reported why it is not valid JSON.
      }
      return html`${open}<pre>${pretty}</pre>`;
    }
    return html`${open}<pre>${text.slice(0, 200_000)}</pre>`;
  } catch (e) {
    return html`${open}<p class="err">Aperçu impossible : ${(e as Error).message}. Le fichier original reste téléchargeable.</p>`;
  }
}

const MAIL_CSP = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;

async function renderEmail(d: DocRef, bytes: Buffer): Promise<Html> {
  const m = await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true });
  const from = m.from?.text ?? '';
  const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
  const body = m.text ?? (m.html ? htmlToText(String(m.html)) : '');
  const atts = m.attachments.filter((a) => !a.related);
  return html`<dl class="kv small"><dt>De</dt><dd>${from}</dd><dt>À</dt><dd>${to}</dd><dt>Objet</dt><dd>${m.subject ?? ''}</dd><dt>Date</dt><dd>${m.date?.toISOString() ?? ''}</dd>
    ${atts.length ? html`<dt>Pièces jointes</dt><dd>${atts.map((a, i) => html`<a href="${rawUrl(d, `/attachments/${i}`)}" target="_blank" rel="noopener">${a.filename ?? `pièce ${i + 1}`}</a> <span class="muted">(${a.contentType}, ${a.size.toLocaleString('fr-FR')} o)</span><br>`)}</dd>` : ''}</dl>
    ${m.html
      ? // The customer's own layout (tables!), in a sandbox: no script, no remote content, no form.
        html`<iframe class="mail" sandbox title="message" srcdoc="${MAIL_CSP + String(m.html)}"></iframe><details><summary class="small">Texte brut</summary><pre>${body.trim()}</pre></details>`
      : html`<pre>${body.trim() || '(corps vide)'}</pre>`}
    ${atts.some((a) => a.contentType === 'application/pdf') ? raw(`<iframe title="pièce jointe" src="${rawUrl(d, `/attachments/${atts.findIndex((a) => a.contentType === 'application/pdf')}`)}"></iframe>`) : ''}`;
}

/** An email attachment by position among the non-inline attachments (as listed on the page). */
export async function emailAttachment(bytes: Buffer, index: number): Promise<{ fileName: string; contentType: string; content: Buffer } | null> {
  const m = await simpleParser(bytes, { skipImageLinks: true, skipTextToHtml: true });
  const a = m.attachments.filter((x) => !x.related)[index];
  return a ? { fileName: a.filename ?? `piece-${index + 1}`, contentType: a.contentType, content: a.content } : null;
}

/**
 * How we serve a stored document or an attachment: the type is ours, from the bytes, never the
 * sender's. PDF and images are shown; text kinds as plain text; anything else is a download. Every
 * one but a PDF is sandboxed (no script, form or same-origin access): browsers refuse to show a PDF
 * in a sandbox, and bytes that begin as a PDF are never rendered as HTML.
 */
export function servedAs(bytes: Buffer): { contentType: string; disposition: 'inline' | 'attachment'; csp: string } {
  const as = (contentType: string, disposition: 'inline' | 'attachment' = 'inline') => ({ contentType, disposition, csp: `sandbox; ${DOCUMENT_CSP}` });
  switch (sniff(bytes)) {
    case 'pdf':
      return { contentType: 'application/pdf', disposition: 'inline', csp: DOCUMENT_CSP };
    case 'png':
      return as('image/png');
    case 'jpeg':
      return as('image/jpeg');
    case 'tiff':
      return as('image/tiff');
    case 'x12':
    case 'edifact':
    case 'email':
    case 'api-json':
    case 'notice':
    case 'text':
      return as('text/plain; charset=utf-8');
    default:
      return as('application/octet-stream', 'attachment');
  }
}

const DOCUMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'";
