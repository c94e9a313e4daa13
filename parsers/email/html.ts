// HTML mail bodies → text that the order-text readers understand. Table cells become tab-separated
// (the same shape as a spreadsheet paste), blockquotes become "> " quotes, so a reply's quoted
// part stays recognisable. Outlook's markup (MsoNormal paragraphs inside cells, conditional
// comments, layout tables around everything) is the main target.

const NAMED: Record<string, string> = {
  nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", euro: '€', deg: '°', laquo: '«', raquo: '»',
  rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', ndash: '–', mdash: '—', hellip: '…', bull: '•', middot: '·', times: '×',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', agrave: 'à', acirc: 'â', auml: 'ä', ccedil: 'ç', icirc: 'î', iuml: 'ï',
  ocirc: 'ô', ouml: 'ö', ugrave: 'ù', ucirc: 'û', uuml: 'ü', oelig: 'œ', aelig: 'æ', szlig: 'ß', ordm: 'º', sup2: '²',
  Eacute: 'É', Egrave: 'È', Ecirc: 'Ê', Agrave: 'À', Acirc: 'Â', Ccedil: 'Ç', Icirc: 'Î', Ocirc: 'Ô', Ucirc: 'Û', OElig: 'Œ',
  thinsp: '\u2009', ensp: ' ', emsp: ' ', shy: '', zwnj: '', zwj: '',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return NAMED[e] ?? NAMED[e.toLowerCase()] ?? all;
  });
}

const BLOCK = new Set(['p', 'div', 'br', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'ul', 'ol', 'address', 'section', 'article', 'header', 'footer']);
const SKIP = new Set(['style', 'script', 'head', 'title', 'xml']);

interface Cell {
  table: number;
}

/** [whole, '/' or '', tag name, attributes, text]: a tag (name set), a text run (text set), or a comment or doctype. */
type Token = [string, string | undefined, string | undefined, string | undefined, string | undefined];

const NAME_START = /[a-zA-Z]/;
const NAME_CHAR = /[a-zA-Z0-9:]/;
const WORD_CHAR = /\w/;

/**
 * Comments, doctypes, tags and text runs, in one pass by hand. As one regex
 * (`<!--[\s\S]*?-->|<![^>]*>|<(\/?)(name)\b([^>]*)>|([^<]+)`) an unclosed `<!--` or `<a` was searched
 * to the end from every `<`: 160 KB of `<!--` took 8 s. A `<` that opens nothing is dropped.
 */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  const lastGt = html.lastIndexOf('>');
  const lastCommentEnd = html.lastIndexOf('-->');
  let i = 0;
  while (i < html.length) {
    if (html[i] !== '<') {
      const lt = html.indexOf('<', i);
      const end = lt < 0 ? html.length : lt;
      tokens.push([html.slice(i, end), undefined, undefined, undefined, html.slice(i, end)]);
      i = end;
      continue;
    }
    if (html.startsWith('<!--', i) && lastCommentEnd >= i + 4) {
      const end = html.indexOf('-->', i + 4) + 3;
      tokens.push([html.slice(i, end), undefined, undefined, undefined, undefined]);
      i = end;
      continue;
    }
    if (html[i + 1] === '!' && lastGt > i) {
      const end = html.indexOf('>', i + 2) + 1;
      tokens.push([html.slice(i, end), undefined, undefined, undefined, undefined]);
      i = end;
      continue;
    }
    const slash = html[i + 1] === '/' ? '/' : '';
    const nameAt = i + 1 + slash.length;
    if (NAME_START.test(html[nameAt] ?? '') && lastGt > nameAt) {
      let nameEnd = nameAt + 1;
      while (nameEnd < html.length && NAME_CHAR.test(html[nameEnd]!)) nameEnd++;
      // The name must end at a word boundary ("<o: x>" is the tag "o" with ": x" for attributes).
      while (nameEnd > nameAt + 1 && WORD_CHAR.test(html[nameEnd] ?? '') === WORD_CHAR.test(html[nameEnd - 1]!)) nameEnd--;
      if (WORD_CHAR.test(html[nameEnd] ?? '') !== WORD_CHAR.test(html[nameEnd - 1]!)) {
        const gt = html.indexOf('>', nameEnd);
        tokens.push([html.slice(i, gt + 1), slash, html.slice(nameAt, nameEnd), html.slice(nameEnd, gt), undefined]);
        i = gt + 1;
        continue;
      }
    }
    i++; // a stray '<'
  }
  return tokens;
}

/** HTML → plain text; table rows are lines of tab-separated cells. */
export function htmlToText(html: string): string {
  const w = new TextWriter();
  const t: TableState = { tableDepth: 0, cells: [], cellsInRow: 0 };
  let skip: string | null = null;

  // Tokens first, so that a cell holding a whole nested table (a layout cell) can be told apart
  // from a data cell before its content is written.
  const tokens = tokenize(html);
  const layoutCells = findLayoutCells(tokens);

  for (const [ti, m] of tokens.entries()) {
    if (m[4] !== undefined) {
      if (!skip) w.append(decodeEntities(m[4]));
      continue;
    }
    if (!m[2]) continue; // comment, doctype or conditional
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase().replace(/^o:/, 'o-');
    if (skip) {
      if (closing && tag === skip) skip = null;
      continue;
    }
    if (SKIP.has(tag) && !closing && !/\/\s*$/.test(m[3] ?? '')) {
      skip = tag;
      continue;
    }
    writeTag(w, t, tag, closing, layoutCells.has(ti));
  }
  if (w.line.trim()) w.flush();
  // Collapse runs of blank lines that block markup leaves behind.
  return w.out.join('\n').replace(/\n(?:[> ]*\n){2,}/g, '\n\n').trim();
}

/** The indexes of the cell tokens that hold a whole nested table (layout cells, not data cells). */
function findLayoutCells(tokens: Token[]): Set<number> {
  const layoutCells = new Set<number>();
  const openCells: number[] = [];
  tokens.forEach((t, i) => {
    const tag = t[2]?.toLowerCase();
    if (tag === 'td' || tag === 'th') {
      if (t[1] !== '/') openCells.push(i);
      else openCells.pop();
    } else if (tag === 'table' && t[1] !== '/') for (const c of openCells) layoutCells.add(c);
  });
  return layoutCells;
}

interface TableState {
  tableDepth: number;
  /** Open cells, innermost last. */
  cells: Cell[];
  cellsInRow: number;
}

/** The plain text being written, line by line, with the quote and <pre> depths. */
class TextWriter {
  readonly out: string[] = [];
  line = '';
  // The line's last character, kept aside: endsWith() on a string built by += copies it every time.
  last = '';
  quote = 0;
  pre = 0;

  put(t: string): void {
    if (!t) return;
    this.line += t;
    this.last = t[t.length - 1]!;
  }

  flush(): void {
    const text = this.line.replace(/(?<![ \u00a0])[ \u00a0]+\t/g, '\t').replace(/\t[ \u00a0]+/g, '\t').replace(/(?<! ) +$/, '');
    this.out.push((this.quote ? '> '.repeat(this.quote) : '') + text.replace(/^ +/, ''));
    this.line = '';
    this.last = '';
  }

  append(t: string): void {
    if (!t) return;
    if (this.pre) {
      const parts = t.split('\n');
      parts.forEach((p, i) => {
        if (i > 0) this.flush();
        this.put(p);
      });
      return;
    }
    const collapsed = t.replace(/[\r\n\t ]+/g, ' ');
    if (this.line === '' || this.last === ' ' || this.last === '\t') this.put(collapsed.replace(/^ /, ''));
    else this.put(collapsed);
  }
}

/** What one tag does to the text: tables, rows and cells, quotes, <pre>, and the block tags that end a line. */
function writeTag(w: TextWriter, t: TableState, tag: string, closing: boolean, layoutCell: boolean): void {
  switch (tag) {
    case 'table':
      if (!closing) {
        if (w.line.trim()) w.flush();
        t.tableDepth++;
      } else {
        if (w.line.trim()) w.flush();
        t.tableDepth = Math.max(0, t.tableDepth - 1);
      }
      break;
    case 'tr':
      if (w.line.trim()) w.flush();
      else [w.line, w.last] = ['', ''];
      t.cellsInRow = 0;
      break;
    case 'td':
    case 'th':
      if (!closing) {
        if (layoutCell) {
          if (w.line.trim()) w.flush();
          t.cells.push({ table: -1 });
          break;
        }
        if (t.cellsInRow > 0 && w.last !== '\t') w.put('\t');
        t.cellsInRow++;
        t.cells.push({ table: t.tableDepth });
      } else if (t.cells.pop()?.table === -1 && w.line.trim()) w.flush();
      break;
    case 'blockquote':
      if (w.line.trim()) w.flush();
      w.quote = Math.max(0, w.quote + (closing ? -1 : 1));
      break;
    case 'pre':
      if (w.line.trim()) w.flush();
      w.pre = Math.max(0, w.pre + (closing ? -1 : 1));
      break;
    default:
      if (BLOCK.has(tag)) {
        const inCell = t.cells.length > 0 && t.cells[t.cells.length - 1]!.table === t.tableDepth;
        // Paragraphs inside a cell (Outlook wraps every cell in <p class=MsoNormal>) stay in the cell.
        if (inCell) {
          if (w.line && w.last !== ' ' && w.last !== '\t') w.put(' ');
        } else if (tag === 'br') w.flush();
        // An Outlook blank paragraph (<p>&nbsp;</p>) is a blank line; an opening tag only ends text before it.
        else if (closing ? w.line !== '' : w.line.trim() !== '') w.flush();
      }
  }
}
