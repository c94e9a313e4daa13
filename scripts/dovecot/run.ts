// A local mail server for trying the email channel by hand:
//   TZ=UTC npx tsx scripts/dovecot/run.ts [FILE.eml…]
// starts Dovecot, delivers the given messages over LMTP, writes a mailboxes file for it, and prints
// how to point Aiguillage at it. Ctrl-C stops it (and deletes its folder).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDovecot, DovecotUnavailable } from '../../worker/dovecot';

try {
  const d = await startDovecot({ users: ['commandes'] });
  const user = d.users[0]!;
  const files = process.argv.slice(2);
  if (files.length) await d.deliver(user.name, await Promise.all(files.map((f) => readFile(f))));
  await writeFile(join(d.dir, 'ca.pem'), d.certPem);
  const yaml = join(d.dir, 'mailboxes.yaml');
  await writeFile(yaml, `mailboxes:\n  - name: commandes\n    host: 127.0.0.1\n    port: ${d.imapsPort}\n    tls: implicit\n    servername: localhost\n    caFile: ca.pem\n    user: ${user.name}\n    passwordEnv: AIGUILLAGE_IMAP_PASSWORD\n`);
  console.log(`Dovecot is running (${files.length} message(s) delivered).
  IMAPS ${d.host}:${d.imapsPort} · IMAP+STARTTLS ${d.host}:${d.imapPort} · LMTP ${d.host}:${d.lmtpPort}
  user ${user.name}, password ${user.password}; self-signed certificate ${join(d.dir, 'ca.pem')}
Listen to it:
  AIGUILLAGE_MAILBOXES=${yaml} AIGUILLAGE_IMAP_PASSWORD='${user.password}' npx tsx worker/mail.ts
Ctrl-C stops it.`);
  const stop = () => void d.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  if (!(e instanceof DovecotUnavailable)) throw e;
  console.error(e.message);
  process.exit(2);
}
