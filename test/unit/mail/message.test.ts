import { describe, expect, it } from 'vitest';
import { backoffMs, deliveryIdentity, messageFileName, messageIdOf, nextBatch, onlyRequested, refuseBeforeSubmit, splitMessage, uidSet } from '../../../channels/email/message';

const order = [
  'From: Jean Martin <j.martin@dupont-quincaillerie.fr>',
  'To: commandes@fixations-rhone-alpes.fr',
  'Subject: Commande DUP-2611-042',
  'Date: Mon, 23 Nov 2026 08:47:12 +0100',
  'Message-ID: <dup-2611-042@dupont-quincaillerie.fr>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Bonjour,',
  '- 12 x VIS-440 vis inox 4x40',
  '',
].join('\r\n');
const hop = (via: string, msg: string) => `Return-Path: <j.martin@dupont-quincaillerie.fr>\r\nDelivered-To: commandes@fixations-rhone-alpes.fr\r\nReceived: from ${via} by mx1.fixations-rhone-alpes.fr; Mon, 23 Nov 2026 08:47:15 +0100\r\n${msg}`;

describe('delivery identity', () => {
  it('is the same for two deliveries that differ only by transport headers and line ends', () => {
    const a = deliveryIdentity(Buffer.from(hop('smtp.dupont-quincaillerie.fr', order)));
    const b = deliveryIdentity(Buffer.from(hop('relay.ovh.net', order).replace(/\r\n/g, '\n').replace('Bonjour,', 'Bonjour,  ')));
    expect(a).toEqual(b);
    expect(a.messageId).toBe('dup-2611-042@dupont-quincaillerie.fr');
  });

  it('differs when the author wrote something else, even under the same Message-ID', () => {
    const a = deliveryIdentity(Buffer.from(order));
    expect(deliveryIdentity(Buffer.from(order.replace('12 x VIS-440', '15 x VIS-440'))).fingerprint).not.toBe(a.fingerprint);
    expect(deliveryIdentity(Buffer.from(order.replace('Subject: Commande DUP-2611-042', 'Subject: RE: Commande DUP-2611-042'))).fingerprint).not.toBe(a.fingerprint);
  });

  it('works without a Message-ID, from the body and the author headers', () => {
    const noId = order.replace(/Message-ID:[^\r]*\r\n/, '');
    const a = deliveryIdentity(Buffer.from(hop('a', noId)));
    expect(a.messageId).toBeNull();
    expect(deliveryIdentity(Buffer.from(hop('b', noId))).fingerprint).toBe(a.fingerprint);
  });

  it('reads folded headers and odd Message-ID forms', () => {
    const { headers, body } = splitMessage(Buffer.from('Subject: Commande\r\n  urgente\r\nMessage-ID:\r\n <abc.123@fax.example.fr>\r\n\r\ncorps'));
    expect(headers.get('subject')).toEqual(['Commande urgente']);
    expect(messageIdOf(headers)).toBe('abc.123@fax.example.fr');
    expect(body.toString()).toBe('corps');
    expect(messageIdOf(splitMessage(Buffer.from('Message-ID: nobrackets@host.fr\n\nx')).headers)).toBe('nobrackets@host.fr');
    expect(messageIdOf(splitMessage(Buffer.from('Message-ID: <>\n\nx')).headers)).toBeNull();
    expect(messageIdOf(splitMessage(Buffer.from('Message-ID: garbage\n\nx')).headers)).toBeNull();
  });
});

describe('listener helpers', () => {
  it('names the file after the subject, safely', () => {
    expect(messageFileName('Commande n° DUP-2611-042')).toBe('Commande n° DUP-2611-042.eml');
    expect(messageFileName('TR: Bon de commande 12/2026: "urgent" <ok>')).toBe('TR Bon de commande 12 2026 urgent ok.eml');
    expect(messageFileName('   ')).toBe('message.eml');
    expect(messageFileName(undefined)).toBe('message.eml');
    expect(messageFileName('x'.repeat(200))).toHaveLength(84);
  });

  it('writes compact UID sets', () => {
    expect(uidSet([5, 1, 2, 3, 9, 10, 7, 3])).toBe('1:3,5,7,9:10');
    expect(uidSet([42])).toBe('42');
  });

  it('drops the last message a N:* range returns when it was not asked for', () => {
    const got = [{ uid: 7 }, { uid: 12 }, { uid: 12 }, { uid: 3 }];
    expect(onlyRequested([12, 13], got)).toEqual([{ uid: 12 }]);
  });

  it('takes the oldest messages first and skips those given up on this round', () => {
    expect(nextBatch([9, 3, 5, 1, 3], new Set([3]), 2)).toEqual([1, 5]);
    expect(nextBatch([1], new Set([1]), 10)).toEqual([]);
  });

  it('refuses empty and oversized messages before reading them', () => {
    expect(refuseBeforeSubmit(0, 100)?.reason).toBe('empty');
    expect(refuseBeforeSubmit(101, 100)).toEqual({ reason: 'too-large', detail: '101 bytes, above the 100-byte limit of this mailbox' });
    expect(refuseBeforeSubmit(100, 100)).toBeNull();
  });

  it('backs off exponentially, with jitter, up to a minute', () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(30, () => 1)).toBe(60_000);
  });
});
