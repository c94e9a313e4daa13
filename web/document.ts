// The source document beside the extracted order: PDF inline, images (TIFF faxes converted to PNG,
// one per page), the email as read, EDI one segment per line, order JSON pretty-printed.
import sharp from 'sharp';
import { simpleParser } from 'mailparser';
import { html, raw, type Html } from './html';

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

export async function renderDocument(d: DocRef, bytes: Buffer): Promise<Html> {
  const open = html`<p class="small"><a href="${rawUrl(d)}" target="_blank" rel="noopener">Ouvrir l'original</a> · ${d.fileName} · ${d.mediaType} · ${bytes.length.toLocaleString('fr-FR')} octets</p>`;
  try {
    if (d.mediaType === 'application/pdf') return html`${open}<iframe title="${d.fileName}" src="${rawUrl(d)}#view=FitH"></iframe>`;
    if (d.mediaType === 'image/tiff') {
      const pages = await tiffPageCount(bytes);
      return html`${open}${Array.from({ length: pages }, (_, i) => html`<img alt="${d.fileName}, page ${i + 1}" src="${rawUrl(d, `/page/${i + 1}.png`)}" loading="lazy">`)}`;
    }
    if (d.mediaType.startsWith('image/')) return html`${open}<img alt="${d.fileName}" src="${rawUrl(d)}">`;
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
  const body = m.text ?? (m.html ? String(m.html).replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/[ \t]+/g, ' ') : '');
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
