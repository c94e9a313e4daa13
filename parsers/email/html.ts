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

/** HTML → plain text; table rows are lines of tab-separated cells. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let line = '';
  let quote = 0;
  let skip: string | null = null;
  let tableDepth = 0;
  const cells: Cell[] = []; // open cells, innermost last
  let cellsInRow = 0;
  let pre = 0;

  const inCell = () => cells.length > 0 && cells[cells.length - 1]!.table === tableDepth;
  const flush = () => {
    const text = line.replace(/[ \u00a0]+\t/g, '\t').replace(/\t[ \u00a0]+/g, '\t').replace(/[ ]+$/, '');
    out.push((quote ? '> '.repeat(quote) : '') + text.replace(/^ +/, ''));
    line = '';
  };
  const append = (t: string) => {
    if (!t) return;
    if (pre) {
      const parts = t.split('\n');
      parts.forEach((p, i) => {
        if (i > 0) flush();
        line += p;
      });
      return;
    }
    const collapsed = t.replace(/[\r\n\t ]+/g, ' ');
    if (line === '' || /[\t ]$/.test(line)) line += collapsed.replace(/^ /, '');
    else line += collapsed;
  };

  // Tokens first, so that a cell holding a whole nested table (a layout cell) can be told apart
  // from a data cell before its content is written.
  const re = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:]*)\b([^>]*)>|([^<]+)/g;
  const tokens: RegExpExecArray[] = [];
  for (let m = re.exec(html); m; m = re.exec(html)) tokens.push(m);
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
        else line = '';
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
          if (cellsInRow > 0 && !line.endsWith('\t')) line += '\t';
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
            if (line && !/[\t ]$/.test(line)) line += ' ';
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
