// Attached messages (message/rfc822) cut out of the raw MIME before mailparser sees it: mailparser
// flattens them into the parent's text, which would lose who sent them and mix their attachments
// with the parent's. Cut out, each is extracted on its own, as the document it is.

export interface AttachedMessage {
  bytes: Buffer;
  fileName: string | null;
}

const PART_START = /^--([^\r\n]{1,200}?)[ \t]*\r?\n/gm;

/**
 * The raw message with every top-level attached message replaced by an empty text part, and those
 * messages' bytes. Works on the latin1 view so that 8-bit bodies survive byte for byte.
 */
export function cutAttachedMessages(raw: Buffer): { rest: Buffer; messages: AttachedMessage[] } {
  const s = raw.toString('latin1');
  const messages: AttachedMessage[] = [];
  const cuts: [number, number][] = [];
  PART_START.lastIndex = 0;
  for (let m = PART_START.exec(s); m; m = PART_START.exec(s)) {
    const boundary = m[1] ?? '';
    if (boundary.endsWith('--')) continue;
    const headerStart = m.index + m[0].length;
    const headerEnd = s.slice(headerStart).search(/\r?\n\r?\n/);
    if (headerEnd < 0) continue;
    const headers = s.slice(headerStart, headerStart + headerEnd).replace(/\r?\n[ \t]+/g, ' ');
    if (!/^content-type:\s*message\/rfc822/im.test(headers)) continue;
    const bodyStart = headerStart + headerEnd + (s.slice(headerStart + headerEnd).startsWith('\r\n\r\n') ? 4 : 2);
    const end = s.indexOf(`\n--${boundary}`, bodyStart);
    if (end < 0) continue;
    let body = s.slice(bodyStart, s[end - 1] === '\r' ? end - 1 : end);
    // RFC 2046 forbids encoding message/rfc822, but some clients base64 it anyway.
    if (/^content-transfer-encoding:\s*base64/im.test(headers)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1');
    const name = /(?:filename|name)\*?=\s*"?([^";\r\n]+)"?/i.exec(headers)?.[1] ?? null;
    messages.push({ bytes: Buffer.from(body, 'latin1'), fileName: name ? decodeName(name) : null });
    cuts.push([headerStart, s[end - 1] === '\r' ? end - 1 : end]);
    PART_START.lastIndex = end + 1;
  }
  if (!cuts.length) return { rest: raw, messages };
  let out = '';
  let pos = 0;
  for (const [a, b] of cuts) {
    out += s.slice(pos, a) + 'Content-Type: text/plain; charset=us-ascii\r\n\r\n';
    pos = b;
  }
  out += s.slice(pos);
  return { rest: Buffer.from(out, 'latin1'), messages };
}

function decodeName(n: string): string {
  // RFC 2231 (utf-8''Commande%20123.eml) or plain.
  const m = /^([\w-]+)''(.*)$/.exec(n);
  if (m) {
    try {
      return decodeURIComponent(m[2] ?? '');
    } catch {
      return m[2] ?? n;
    }
  }
  return n.trim();
}
