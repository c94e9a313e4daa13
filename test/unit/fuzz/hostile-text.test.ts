// Inputs that once held a reader for seconds (issue #12): each must now give the right answer
// quickly. No time is asserted; the per-test timeout is the guard (the old code took 4–11 s on
// each of these on a quiet machine, and grew with the square of the length).
import { describe, expect, it } from 'vitest';
import { deliveryIdentity, messageFileName, messageIdOf, splitMessage } from '../../../channels/email/message';
import { htmlToText } from '../../../parsers/email/html';
import { splitSegments } from '../../../parsers/email/segments';
import { detectFaxGateway } from '../../../parsers/email/fax';
import { findCustomerEvidence, findDeliveryDate, findOrderDate, findPoNumber, findShipTo } from '../../../parsers/text/header';
import { parseOrderLines } from '../../../parsers/text/lines';
import { parseNumber, trailingNumber } from '../../../parsers/text/numbers';
import { amountOnLine } from '../../../parsers/layout/order';
import { leadTarget } from '../../../domain/sla-alert';
import { loadMasterData } from '../../../storage/masterdata-source';
import { compileRuleSet } from '../../../routing-rules/compile';
import { InvalidRules } from '../../../routing-rules/errors';
import { parseMailboxes } from '../../../channels/email/config';
import { parseUsers } from '../../../web/auth';

// Only a hang fails here: how fast each reader is, is what bench:fuzz measures and prints.
const GUARD = { timeout: 30_000 };
const md = loadMasterData('fixtures/masterdata');

describe('mail listener', () => {
  const head = 'From: a@b.fr\r\nTo: c@d.fr\r\nSubject: Commande\r\nMessage-ID: <x@b.fr>\r\n\r\n';
  it('fingerprints a body of 40,000 spaces as the empty body (trailing blanks do not count)', GUARD, () => {
    const spaces = deliveryIdentity(Buffer.from(head + ' '.repeat(40_000)));
    expect(spaces.fingerprint).toBe(deliveryIdentity(Buffer.from(head)).fingerprint);
    const notTrailing = deliveryIdentity(Buffer.from(head + ' '.repeat(40_000) + 'x'));
    expect(notTrailing.fingerprint).not.toBe(spaces.fingerprint);
    expect(deliveryIdentity(Buffer.from(head + 'ligne \t \r\n'.repeat(20_000))).fingerprint).toBe(deliveryIdentity(Buffer.from(head + 'ligne\n'.repeat(20_000))).fingerprint);
  });

  it('reads a Message-ID of 40,000 @ and a subject of 40,000 dots', GUARD, () => {
    expect(messageIdOf(splitMessage(Buffer.from(`Message-ID: ${'@'.repeat(40_000)}\r\n\r\n`)).headers)).toBeNull();
    expect(messageFileName(`Commande${' .'.repeat(20_000)}`)).toBe('Commande.eml');
  });
});

describe('HTML mail bodies', () => {
  it('reads 160 KB of unclosed comments as text, and a comment closed later as a comment', GUARD, () => {
    expect(htmlToText('<!--'.repeat(40_000))).toBe('!--'.repeat(40_000));
    expect(htmlToText(`<p>Commande 4512</p>${'<!--'.repeat(40_000)} -->`)).toBe('Commande 4512');
  });

  it('drops 160 KB of unclosed tags and doctype openers, and keeps the text around them', GUARD, () => {
    expect(htmlToText(`<b>Réf VIS-440</b>${'<a'.repeat(80_000)}`)).toBe(`Réf VIS-440${'a'.repeat(80_000)}`);
    expect(htmlToText(`<p>x</p>${'<!'.repeat(80_000)}`)).toBe(`x\n${'!'.repeat(80_000)}`);
    expect(htmlToText('<table><tr><td>VIS-440</td><td>12</td></tr></table><o:p></o:p><!-- c --><p>fin</p>')).toBe('VIS-440\t12\nfin');
  });

  it('reads the fields of a fax gateway after 200,000 blank lines (found by bench/fuzz.ts: 254 s before)', GUARD, () => {
    const text = `${'\n'.repeat(200_000)}Numéro de l'expéditeur : +33 4 78 12 34 57\n`;
    expect(detectFaxGateway({ fromAddress: 'fax@passerelle.fr', fromName: '', subject: 'Fax reçu', text, hasFaxImage: true })?.fax).toBe('+33 4 78 12 34 57');
    expect(detectFaxGateway({ fromAddress: 'fax@passerelle.fr', fromName: '', subject: 'Fax reçu', text: `CallID1:${'\n'.repeat(200_000)}`, hasFaxImage: true })).toEqual({ style: 'hylafax', fax: null });
  });

  it('splits quoted replies of 40,000 markers', GUARD, () => {
    const segs = splitSegments(`Bonjour\n${'> '.repeat(20_000)}x\n${' '.repeat(40_000)}>`);
    expect(segs[0]!.text).toContain('Bonjour');
    expect(segs.map((s) => s.text).join('\n')).toContain('x');
  });
});

describe('order text', () => {
  it('finds the PO after 40 KB of blanks between label and value, and none after 40 KB of junk', GUARD, () => {
    expect(findPoNumber(`N° de commande :${' \t'.repeat(20_000)}4500123456`)?.value).toBe('4500123456');
    expect(findPoNumber(`commande${' '.repeat(40_000)}!`)).toBeNull();
    expect(findPoNumber(`${'commande n° '.repeat(4_000)}`)).toBeNull();
  });

  it('finds the ship-to after 40,000 blank lines, and reads a 40 KB city line without hanging', GUARD, () => {
    const st = findShipTo(`${'\n'.repeat(40_000)}Livrer à :\nQuincaillerie Dupont\n12 rue des Forges\n69007 Lyon`);
    expect(st).toMatchObject({ name: 'Quincaillerie Dupont', street: '12 rue des Forges', postalCode: '69007', city: 'Lyon' });
    const long = findShipTo(`Livrer à :\n69007 ${'Lyon '.repeat(8_000)}!`);
    expect(long?.postalCode ?? null).toBeNull();
    expect(findShipTo(`Adresse de livraison : ${' '.repeat(40_000)}`)).toBeNull();
  });

  it('reads dates, phones, SIRET and e-mails around 40 KB runs of letters, spaces and address characters', GUARD, () => {
    expect(findOrderDate(`${'a'.repeat(40_000)}\nLyon, le 23/11/2026`)).toBe('2026-11-23');
    expect(findDeliveryDate(`Livraison souhaitée ${' '.repeat(40_000)}`)).toBeNull();
    const ev = findCustomerEvidence(`${'a.'.repeat(20_000)} Tél ${' '.repeat(40_000)}: x SIRET ${' '.repeat(40_000)}! contact@dupont-quincaillerie.fr`, md);
    expect(ev.email).toBe('contact@dupont-quincaillerie.fr');
  });

  it('reads order lines of 40 KB without hanging', GUARD, () => {
    expect(parseOrderLines(`${'1 '.repeat(20_000)}x\n- 12 x VIS-440 vis inox`, md).map((l) => l.quantity)).toContain(12);
    expect(parseOrderLines(`Réf : ${' '.repeat(40_000)}!\nQté : ${'1 '.repeat(20_000)}`, md)).toBeDefined();
  });

  it('reads the amount at the end of a line, and none at the end of 40 KB of digits and spaces', GUARD, () => {
    expect(amountOnLine('Total HT   1 234,56 €', 'fr')).toBe(1234.56);
    expect(amountOnLine('Total HT 1 234,56 EUR', 'fr')).toBe(1234.56);
    expect(amountOnLine(`Total HT ${'1 '.repeat(20_000)}x`, 'fr')).toBeNull();
    expect(trailingNumber('Total 12.5 €', (c) => c === '.' || c === ' ')).toBe('12.5');
    expect(parseNumber(`${' '.repeat(40_000)}x €`)).toBeNull();
  });
});

describe('alert targets', () => {
  it('tells an e-mail address from junk, without backtracking on 40,000 dots', GUARD, () => {
    expect(leadTarget('isabelle.roux@fixations-ra.fr')).toEqual({ kind: 'email', to: 'isabelle.roux@fixations-ra.fr' });
    expect(leadTarget('a@b')).toBeNull();
    expect(leadTarget('a@b@c.fr')).toBeNull();
    expect(leadTarget(`a@${'.'.repeat(40_000)}`)).toEqual({ kind: 'email', to: `a@${'.'.repeat(40_000)}` });
    expect(leadTarget(`a@${'.'.repeat(40_000)} x`)).toBeNull();
  });
});

describe('routing rules', () => {
  it('refuses an alias with no anchor and conditions nested 5,000 deep as InvalidRules, found by fuzzing', GUARD, () => {
    expect(() => compileRuleSet([{ name: 'rules.yaml', text: '*sans-ancre' }], 'v')).toThrow(InvalidRules);
    const deep = `rules:\n  - id: r\n    when: ${'{ not: '.repeat(5_000)}{ country: FR }${' }'.repeat(5_000)}\n    team: t\n`;
    expect(() => compileRuleSet([{ name: 'rules.yaml', text: deep }], 'v')).toThrow(InvalidRules);
  });

  it('says where the YAML breaks in a file with 150,000 line breaks in a row (the YAML package\'s pretty errors took their square), found by fuzzing', GUARD, () => {
    const cr = `rules:\n  - id${'\r'.repeat(150_000)}x: y\n    team: t\n`;
    expect(() => compileRuleSet([{ name: 'rules.yaml', text: cr }], 'v')).toThrow(/rules\.yaml:\d+:\d+: YAML syntax/);
    expect(() => parseMailboxes(`mailboxes:\n  - name${'\r'.repeat(150_000)}x: y\n    host: x\n`, 'mailboxes.yaml', {})).toThrow(/^mailboxes\.yaml:\d+: not valid YAML/);
    expect(() => parseUsers(`users:\n  - login${'\r'.repeat(150_000)}x: y\n    role: x\n`, 'users.yaml')).toThrow(/^users\.yaml:\d+: not valid YAML/);
  });
});
