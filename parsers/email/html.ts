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
  const out: string[] = [];
  let line = '';
  // The line's last character, kept aside: endsWith() on a string built by += copies it every time.
  let last = '';
  const put = (t: string) => {
    if (!t) return;
    line += t;
    last = t[t.length - 1]!;
  };
  let quote = 0;
  let skip: string | null = null;
  let tableDepth = 0;
  const cells: Cell[] = []; // open cells, innermost last
  let cellsInRow = 0;
  let pre = 0;

  const inCell = () => cells.length > 0 && cells[cells.length - 1]!.table === tableDepth;
  const flush = () => {
    const text = line.replace(/(?<![ \u00a0])[ \u00a0]+\t/g, '\t').replace(/\t[ \u00a0]+/g, '\t').replace(/(?<! ) +$/, '');
    out.push((quote ? '> '.repeat(quote) : '') + text.replace(/^ +/, ''));
    line = '';
    last = '';
  };
  const append = (t: string) => {
    if (!t) return;
    if (pre) {
      const parts = t.split('\n');
      parts.forEach((p, i) => {
        if (i > 0) flush();
        put(p);
      });
      return;
    }
    const collapsed = t.replace(/[\r\n\t ]+/g, ' ');
    if (line === '' || last === ' ' || last === '\t') put(collapsed.replace(/^ /, ''));
    else put(collapsed);
  };

  // Tokens first, so that a cell holding a whole nested table (a layout cell) can be told apart
  // from a data cell before its content is written.
  const tokens = tokenize(html);
  const layoutCells = new Set<number>();
  const openCells: number[] = [];
  tokens.forEach((t, i) => {
    const tag = t[2]?.toLowerCase();
    if (tag === 'td' || tag === 'th') {
      if (t[1] !== '/') openCells.push(i);
      else openCells.pop();
    } else if (tag === 'table' && t[1] !== '/') for (const c of openCells) layoutCells.add(c);
  });

  for (const [ti, m] of tokens.entries()) {
    if (m[4] !== undefined) {
      if (!skip) append(decodeEntities(m[4]));
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
    switch (tag) {
      case 'table':
        if (!closing) {
          if (line.trim()) flush();
          tableDepth++;
        } else {
          if (line.trim()) flush();
          tableDepth = Math.max(0, tableDepth - 1);
        }
        break;
      case 'tr':
        if (line.trim()) flush();
        else [line, last] = ['', ''];
        cellsInRow = 0;
        break;
      case 'td':
      case 'th':
        if (!closing) {
          if (layoutCells.has(ti)) {
            if (line.trim()) flush();
            cells.push({ table: -1 });
            break;
          }
          if (cellsInRow > 0 && last !== '\t') put('\t');
          cellsInRow++;
          cells.push({ table: tableDepth });
        } else if (cells.pop()?.table === -1 && line.trim()) flush();
        break;
      case 'blockquote':
        if (line.trim()) flush();
        quote = Math.max(0, quote + (closing ? -1 : 1));
        break;
      case 'pre':
        if (line.trim()) flush();
        pre = Math.max(0, pre + (closing ? -1 : 1));
        break;
      default:
        if (BLOCK.has(tag)) {
          // Paragraphs inside a cell (Outlook wraps every cell in <p class=MsoNormal>) stay in the cell.
          if (inCell()) {
            if (line && last !== ' ' && last !== '\t') put(' ');
          } else if (tag === 'br') flush();
          // An Outlook blank paragraph (<p>&nbsp;</p>) is a blank line; an opening tag only ends text before it.
          else if (closing ? line !== '' : line.trim() !== '') flush();
        }
    }
  }
  if (line.trim()) flush();
  // Collapse runs of blank lines that block markup leaves behind.
  return out.join('\n').replace(/\n(?:[> ]*\n){2,}/g, '\n\n').trim();
}
