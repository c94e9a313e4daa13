// A message body cut into who-wrote-what: the new text on top, then each forwarded or quoted message
// with its author when the header block or the "a écrit :" line names one. This is how a forward
// from our own sales rep still finds the customer, and how our signature quoted in a customer's
// reply is never read as the customer's.

export interface Segment {
  /** Email address of the segment's author, when written in its header or attribution line. */
  author: string | null;
  subject: string | null;
  /** When the forwarded or quoted message was sent, as its header block or attribution line prints it (raw text). */
  date?: string | null;
  /** 'top' is the message's own text; the others are what it forwards or quotes. */
  kind: 'top' | 'forward' | 'reply';
  /** Text with quote markers removed. */
  text: string;
}

// Separator lines and header blocks in the languages our customers' mail programs speak (FR, EN, DE, IT, ES, NL).
const FORWARD_SEP = /^\s*-{2,}\s*(?:forwarded\s+message|message\s+transf[ée]r[ée]|original\s+message|message\s+d['’]origine|message\s+original|courriel\s+original|mail\s+transf[ée]r[ée]|weitergeleitete\s+nachricht|urspr[üu]ngliche\s+nachricht|messaggio\s+inoltrato|messaggio\s+originale|mensaje\s+reenviado|mensaje\s+original|doorgestuurd\s+bericht|oorspronkelijk\s+bericht)\s*-{2,}\s*$|^\s*d[ée]but\s+du\s+message\s+r[ée]exp[ée]di[ée]\s*(?::\s*)?$|^\s*begin\s+forwarded\s+message\s*(?::\s*)?$|^\s*anfang\s+der\s+weitergeleiteten\s+nachricht\s*(?::\s*)?$|^\s*(?:inizio\s+messaggio\s+inoltrato|inicio\s+del\s+mensaje\s+reenviado|begin\s+doorgestuurd\s+bericht)\s*(?::\s*)?$/i;
// Lotus Notes: "----- Transféré par Jean Martin/DUPONT le 12/10/2026 09:14 -----", then the original's
// sender and date on lines of their own ("Marc Petit" <m.petit@…> / 12/10/2026 08:55), no labels.
const LOTUS_SEP = /^\s*-{3,}\s*(?:transf[ée]r[ée]\s+par|forwarded\s+by|weitergeleitet\s+von|inoltrato\s+da|reenviado\s+por|doorgestuurd\s+door)\s[^\n]{0,200}?-{3,}\s*$/i;
const LONE_DATE = /^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?:\s+\d{1,2}[:h]\d{2})?\s*$/;
const HEADER_FIELD = /^\s*\*?(de|from|von|da|van|mittente|envoy[ée](?:\s+le)?|sent|gesendet|inviato|enviado(?:\s+el)?|verzonden|date|datum|data|fecha|[àa]|to|an|para|aan|pour|cc|kopie|copie\s+[àa]|objet|sujet|subject|betreff|oggetto|asunto|onderwerp|r[ée]pondre\s+[àa]|reply-to|antwort\s+an)\s*(?:\*\s*)?:\s*(\S.*)?$/i;
const FROM_FIELD = /^(?:de|from|von|da|van|mittente)$/i;
const BELOW_FROM = /^\s*\*?(?:envoy[ée](?:\s+le)?|sent|gesendet|inviato|enviado(?:\s+el)?|verzonden|date|datum|data|fecha|objet|sujet|subject|betreff|oggetto|asunto|onderwerp|[àa]|to|an|para|aan|pour)\s*(?:\*\s*)?:/i;
const SUBJECT_FIELD = /^(?:objet|sujet|subject|betreff|oggetto|asunto|onderwerp)$/i;
const DATE_FIELD = /^(?:envoy[ée](?:\s+le)?|sent|gesendet|inviato|enviado(?:\s+el)?|verzonden|date|datum|data|fecha)$/i;
const ATTRIBUTION_START = /^\s*(?:le\s|on\s|el\s|am\s|il\s|op\s)/i;
const ATTRIBUTION_END = /(?:a\s+[ée]crit|wrote|schrieb|escribió|ha\s+scritto|schreef)\s*:\s*$/i;
const EMAIL = /(?<![A-Za-z0-9._%+=-])[A-Za-z0-9._%+=-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

function quoteDepth(line: string): { depth: number; content: string } {
  // "> > text" by hand: as a regex the quote markers and the text overlap and backtrack.
  let depth = 0;
  let at = 0;
  for (let i = 0; ; i++) {
    const c = line[i];
    if (c === '>') [depth, at] = [depth + 1, i + 1];
    else if (c !== ' ' && c !== '\t') break;
  }
  const content = line[at] === ' ' || line[at] === '\t' ? line.slice(at + 1) : line.slice(at);
  return { depth, content };
}

/**
 * The lines under a Lotus Notes separator: the first non-empty one naming an e-mail address is the
 * author, a line holding only a date (and time) the date; the "A / cc / Objet" label lines follow,
 * each label alone on its line with its value below. Returns the index of the last line taken.
 */
function lotusHeader(lines: string[], from: number, seg: Segment): number {
  let i = from;
  while (i < lines.length && !quoteDepth(lines[i] ?? '').content.trim()) i++;
  const first = quoteDepth(lines[i] ?? '').content;
  const author = EMAIL.exec(first)?.[0];
  if (!author || HEADER_FIELD.test(first)) return from - 1;
  seg.author = author.toLowerCase();
  let k = i + 1;
  for (; k < Math.min(lines.length, i + 16); k++) {
    const l = quoteDepth(lines[k] ?? '').content.trim();
    if (LONE_DATE.test(l) && !seg.date) seg.date = l;
    else if (/^(?:objet|subject|betreff|oggetto|asunto|onderwerp)$/i.test(l)) {
      seg.subject = quoteDepth(lines[k + 1] ?? '').content.trim() || null;
      return k + 1;
    }
  }
  return i;
}

/** The header fields read from a block: its author, subject and date, as printed. */
type HeaderFields = Pick<Segment, 'author' | 'subject' | 'date'>;

/**
 * A header block starting at line `at`: a run of consecutive "Label : value" lines (at most 12) that
 * names a sender ("De :", "From:") and at least one of the date, subject or recipient fields. The
 * sender's line may come first with the others within the next five lines, as Outlook prints it, or
 * anywhere in the run. Returns the fields and the index of the first line after the run.
 */
function headerBlock(lines: string[], at: number): { fields: HeaderFields; end: number } | null {
  const run: RegExpExecArray[] = [];
  for (let k = at; k < lines.length && run.length < 12; k++) {
    const f = HEADER_FIELD.exec(quoteDepth(lines[k] ?? '').content);
    if (!f) break;
    run.push(f);
  }
  const from = run.find((f) => FROM_FIELD.test(f[1] ?? ''));
  if (!from) return null;
  const others = run.filter((f) => f !== from && BELOW_FROM.test(quoteDepth(f[0]).content));
  const outlook = run[0] === from && [1, 2, 3, 4, 5].some((k) => BELOW_FROM.test(quoteDepth(lines[at + k] ?? '').content));
  if (!others.length && !outlook) return null;
  const fields: HeaderFields = { author: EMAIL.exec(from[2] ?? '')?.[0]?.toLowerCase() ?? null, subject: null };
  for (const f of run) {
    if (SUBJECT_FIELD.test(f[1] ?? '')) fields.subject = (f[2] ?? '').trim();
    else if (DATE_FIELD.test(f[1] ?? '')) fields.date = (f[2] ?? '').trim() || null;
  }
  return { fields, end: at + run.length };
}

export function splitSegments(body: string): Segment[] {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const segments: Segment[] = [{ author: null, subject: null, kind: 'top', text: '' }];
  let cur = segments[0]!;
  let prevDepth = 0;
  const start = (kind: Segment['kind'], author: string | null = null) => {
    cur = { author, subject: null, kind, text: '' };
    segments.push(cur);
  };

  for (let i = 0; i < lines.length; i++) {
    const { depth, content } = quoteDepth(lines[i] ?? '');
    const next = (k: number) => quoteDepth(lines[i + k] ?? '').content;

    if (FORWARD_SEP.test(content)) {
      start('forward');
      prevDepth = depth;
      continue;
    }
    if (LOTUS_SEP.test(content)) {
      start('forward');
      i = lotusHeader(lines, i + 1, cur);
      prevDepth = depth;
      continue;
    }
    // A mail program's header block: "De :" with "Objet :"/"Envoyé :" just below (Outlook, Gmail),
    // or fields in another order with the sender among them ("Sujet / Date / De / Pour", Thunderbird).
    const block = headerBlock(lines, i);
    if (block) {
      if (cur.kind === 'top' || cur.text.trim() || cur.author) start('forward');
      Object.assign(cur, block.fields);
      i = block.end - 1;
      prevDepth = depth;
      continue;
    }
    // "Le lun. 23 nov. 2026 à 09:12, Jean Martin <j.martin@…> a écrit :" (Gmail wraps it over two lines).
    if (ATTRIBUTION_START.test(content)) {
      const joined = [content, next(1), next(2)];
      for (let k = 0; k < 3; k++) {
        const text = joined.slice(0, k + 1).join(' ');
        if (ATTRIBUTION_END.test(text) && text.length < 300) {
          start('reply', EMAIL.exec(text)?.[0]?.toLowerCase() ?? null);
          cur.date = text;
          i += k;
          prevDepth = depth + 1;
          break;
        }
      }
      if (cur.kind === 'reply' && cur.text === '' && prevDepth === depth + 1) continue;
    }
    if (depth > prevDepth && cur.text.trim()) start('reply');
    prevDepth = depth;
    cur.text += `${content}\n`;
  }
  return segments.filter((s, i) => i === 0 || s.text.trim() || s.author);
}
