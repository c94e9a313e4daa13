import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidMailboxConfig, describeMailbox, loadMailboxes, parseMailboxes } from '../../../channels/email/config';

const env = { COMMANDES_PW: 's3cret!', FAX_PW: 'autre' };
const yaml = `mailboxes:
  - name: commandes
    host: imap.fixations-rhone-alpes.fr
    user: commandes@fixations-rhone-alpes.fr
    passwordEnv: COMMANDES_PW
  - name: fax
    host: mail.fixations-rhone-alpes.fr
    tls: starttls
    user: fax
    passwordEnv: FAX_PW
    processed: Archives/Traite
`;

describe('mailbox configuration', () => {
  it('reads mailboxes with defaults and passwords from the environment', () => {
    const [a, b] = parseMailboxes(yaml, 'mailboxes.yaml', env);
    expect(a).toMatchObject({ name: 'commandes', port: 993, tls: 'implicit', inbox: 'INBOX', processed: 'Processed', quarantine: 'Quarantine', password: 's3cret!', ca: null });
    expect(b).toMatchObject({ port: 143, tls: 'starttls', processed: 'Archives/Traite', password: 'autre' });
    expect(JSON.stringify(describeMailbox(a!))).not.toContain('s3cret');
  });

  it('says which mailbox and field is wrong', () => {
    const bad = (text: string, e: NodeJS.ProcessEnv = env) => () => parseMailboxes(text, 'm.yaml', e);
    expect(bad(yaml.replace('tls: starttls', 'tls: ssl'))).toThrow(/m\.yaml: mailbox "fax" › tls: /);
    expect(bad(yaml.replace('user: fax', 'user: fax\n    pasword: x'))).toThrow(/mailbox "fax"/);
    expect(bad(yaml, { COMMANDES_PW: 'x' })).toThrow('m.yaml: mailbox "fax": the environment variable FAX_PW (its password) is not set');
    expect(bad(yaml.replace('name: fax', 'name: commandes'))).toThrow('configured twice');
    expect(bad(yaml.replace('tls: starttls', 'tls: none'))).toThrow(/only allowed for a mail server on this machine/);
    expect(bad('mailboxes: [\n  - a: 1\n')).toThrow(/^m\.yaml:\d+: not valid YAML/);
    expect(bad(yaml)).not.toThrow();
    expect(bad('mailboxes:\n  - name: x\n')).toThrow(InvalidMailboxConfig);
  });

  it('reads the CA file relative to the config file, and reports a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailboxes-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'm.yaml'), yaml.replace('tls: starttls', 'tls: starttls\n    caFile: ca.pem'));
    expect(loadMailboxes(join(dir, 'm.yaml'), env)[1]!.ca).toContain('BEGIN CERTIFICATE');
    writeFileSync(join(dir, 'n.yaml'), yaml.replace('tls: starttls', 'tls: starttls\n    caFile: missing.pem'));
    expect(() => loadMailboxes(join(dir, 'n.yaml'), env)).toThrow(/caFile .*missing\.pem cannot be read/);
    expect(() => loadMailboxes(join(dir, 'absent.yaml'), env)).toThrow(/absent\.yaml: cannot be read \(ENOENT\)/);
  });

  it('accepts the example file shipped in config/', () => {
    const list = loadMailboxes(join(import.meta.dirname, '../../../config/mailboxes.example.yaml'), { AIGUILLAGE_IMAP_COMMANDES_PASSWORD: 'a', AIGUILLAGE_IMAP_FAX_PASSWORD: 'b' }).length;
    expect(list).toBe(2);
  });
});
