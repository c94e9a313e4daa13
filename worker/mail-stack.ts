// The email channel inside `aiguillage start`: the mailboxes of AIGUILLAGE_MAILBOXES when set;
// otherwise, with --samples, a throw-away local Dovecot holding the sample emails, so the channel
// can be watched end to end on one machine (skipped, with a note, when Dovecot is not installed).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Ingestor } from '../intake/submit';
import { loadMailboxes } from '../channels/email/config';
import { startMailChannel, type MailChannel } from '../channels/email/index';

export interface StackMail {
  /** One line for the start banner. */
  banner: string;
  /** Every mailbox connected (for /healthz), or which are not and why; absent when no listener runs. */
  health?(): { ok: boolean; detail: string };
  stop(): Promise<void>;
}

function channelHealth(channel: MailChannel): () => { ok: boolean; detail: string } {
  return () => {
    const down = channel.listeners.filter((l) => !l.state.connected);
    if (down.length === 0) return { ok: true, detail: `${channel.listeners.length} mailbox(es) connected` };
    return { ok: false, detail: down.map((l) => `${l.name}: ${l.state.lastError ?? 'not connected yet'}`).join('; ') };
  };
}

export async function startStackMail(cfg: Config, ingestor: Pick<Ingestor, 'submit'>, log: Logger, opts: { samples: boolean }): Promise<StackMail | null> {
  if (cfg.mailboxesFile) {
    const mailboxes = loadMailboxes(cfg.mailboxesFile);
    const channel = startMailChannel({ mailboxes, ingestor, dataDir: cfg.dataDir, log });
    return { banner: `${mailboxes.map((m) => `${m.user}@${m.host}`).join(', ')}  (from ${cfg.mailboxesFile})`, health: channelHealth(channel), stop: () => channel.stop() };
  }
  if (!opts.samples) return null;
  const { startDovecot, DovecotUnavailable } = await import('./dovecot');
  let dovecot;
  try {
    dovecot = await startDovecot({ users: ['commandes'] });
  } catch (e) {
    if (!(e instanceof DovecotUnavailable)) throw e;
    log.warn({ error: e.message }, 'no local mailbox for the samples');
    return { banner: `none (${e.message})`, stop: async () => undefined };
  }
  const user = dovecot.users[0]!;
  const dir = join(cfg.root, 'fixtures', 'email');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
  if (names.length) await dovecot.deliver(user.name, await Promise.all(names.map((n) => readFile(join(dir, n)))));
  const channel = startMailChannel({
    mailboxes: [{ name: 'commandes', host: '127.0.0.1', port: dovecot.imapsPort, tls: 'implicit', user: user.name, password: user.password, ca: dovecot.certPem, servername: 'localhost', inbox: 'INBOX', processed: 'Processed', quarantine: 'Quarantine', maxMessageBytes: 40 * 1024 * 1024, pollSeconds: 60 }],
    ingestor,
    dataDir: cfg.dataDir,
    log,
  });
  return {
    health: channelHealth(channel),
    banner: `local Dovecot imaps://127.0.0.1:${dovecot.imapsPort} (user ${user.name}, password ${user.password}, self-signed), ${names.length} sample emails delivered`,
    async stop() {
      await channel.stop();
      await dovecot.stop();
    },
  };
}
