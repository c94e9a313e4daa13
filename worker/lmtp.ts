// A minimal LMTP client (RFC 2033), the way Postfix hands mail to Dovecot: one session, one
// transaction per message, a reply per recipient after DATA.
import { connect, type Socket } from 'node:net';

export interface LmtpResult {
  code: number;
  text: string;
}

export class LmtpError extends Error {
  readonly code = 'LMTP_REJECTED';
}

class Replies {
  private buf = '';
  private lines: string[] = [];
  private waiters: ((line: string | Error) => void)[] = [];
  private failure: Error | null = null;

  constructor(socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i).replace(/\r$/, '');
        this.buf = this.buf.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    const fail = (e: Error) => {
      this.failure = e;
      for (const w of this.waiters.splice(0)) w(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new LmtpError('LMTP connection closed')));
  }

  private line(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((res, rej) => this.waiters.push((x) => (x instanceof Error ? rej(x) : res(x))));
  }

  /** One reply, multi-line ones (`250-…`) folded together. */
  async reply(): Promise<LmtpResult> {
    let text = '';
    for (;;) {
      const l = await this.line();
      text += (text ? '\n' : '') + l.slice(4);
      if (l[3] !== '-') return { code: Number(l.slice(0, 3)), text };
    }
  }
}

async function expect(r: Replies, ok: (code: number) => boolean, what: string): Promise<LmtpResult> {
  const rep = await r.reply();
  if (!ok(rep.code)) throw new LmtpError(`LMTP ${what}: ${rep.code} ${rep.text}`);
  return rep;
}

/** Dot-stuffing and CRLF line ends, as DATA requires. */
export function lmtpData(message: Buffer): Buffer {
  const text = message.toString('latin1').replace(/\r?\n/g, '\r\n');
  const body = text.replace(/^\./gm, '..');
  return Buffer.from(body + (body.endsWith('\r\n') ? '' : '\r\n') + '.\r\n', 'latin1');
}

export async function deliverLmtp(host: string, port: number, recipient: string, messages: Buffer[], sender = 'mta@localhost'): Promise<LmtpResult[]> {
  const socket = connect(port, host);
  const r = new Replies(socket);
  const send = (s: string | Buffer) => socket.write(s);
  const results: LmtpResult[] = [];
  try {
    await expect(r, (c) => c === 220, 'greeting');
    send('LHLO localhost\r\n');
    await expect(r, (c) => c === 250, 'LHLO');
    for (const m of messages) {
      send(`MAIL FROM:<${sender}>\r\n`);
      await expect(r, (c) => c === 250, 'MAIL FROM');
      send(`RCPT TO:<${recipient}>\r\n`);
      await expect(r, (c) => c === 250, 'RCPT TO');
      send('DATA\r\n');
      await expect(r, (c) => c === 354, 'DATA');
      send(lmtpData(m));
      results.push(await expect(r, (c) => c === 250, 'delivery'));
    }
    send('QUIT\r\n');
    await r.reply().catch(() => undefined);
    return results;
  } finally {
    socket.destroy();
  }
}
