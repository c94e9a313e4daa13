import { SHIP_TO_DEFAULTED } from '../../../domain/resolve';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadMasterData } from '../../../storage/masterdata-source';
import { describeDocument, extractDocument } from '../../../parsers/index';
import { htmlToText, decodeEntities } from '../../../parsers/email/html';
import { splitSegments } from '../../../parsers/email/segments';
import { detectFaxGateway } from '../../../parsers/email/fax';
import { cutAttachedMessages } from '../../../parsers/email/mime';

const md = loadMasterData(join(import.meta.dirname, '../../../fixtures/masterdata'));

async function extractRaw(raw: string | Buffer, fileName = 'message.eml') {
  const bytes = typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n'), 'latin1') : raw;
  const meta = describeDocument(bytes, { fileName, channel: 'email', receivedAt: '2026-11-23T10:00:00.000Z' });
  return (await extractDocument(bytes, meta, md)).result;
}

describe('htmlToText', () => {
  it('turns table rows into tab-separated lines and keeps Outlook paragraphs inside their cell', () => {
    const html = '<table><tr><td><p class=MsoNormal>R&eacute;f.<o:p></o:p></p></td><td><p class=MsoNormal>Qt&eacute;</p></td></tr><tr><td><p>VIS-440</p><p>inox</p></td><td>12</td></tr></table><p>Merci</p>';
    expect(htmlToText(html)).toBe('Réf.\tQté\nVIS-440 inox\t12\nMerci');
  });

  it('treats a cell holding a nested table as layout, not as a column', () => {
    const html = '<table><tr><td><p>Commande n° 12345</p><table><tr><td>CHV-6</td><td>5</td></tr></table><p>Cordialement</p></td></tr></table>';
    expect(htmlToText(html)).toBe('Commande n° 12345\nCHV-6\t5\nCordialement');
  });

  it('quotes blockquotes, drops styles, comments and conditional markup', () => {
    const html = '<!DOCTYPE html><html><head><style>p{color:red}</style></head><body><!--[if mso]><x>y</x><![endif]--><p>Oui</p><blockquote type="cite"><p>Votre devis</p></blockquote></body></html>';
    expect(htmlToText(html)).toBe('Oui\n> Votre devis');
  });

  it('decodes named and numeric entities', () => {
    expect(decodeEntities('Mat&eacute;riaux &amp; Cie &#8211; 12&nbsp;&euro; &#x2019;')).toBe('Matériaux & Cie – 12\u00a0€ ’');
  });
});

describe('splitSegments', () => {
  it('cuts a reply into the new text and the quoted message, with its author', () => {
    const segs = splitSegments('Oui pour 12.\n\nLe ven. 20 nov. 2026 à 16:05, ADV <adv@fixations-rhone-alpes.fr> a écrit :\n> Bonjour,\n> notre devis\n');
    expect(segs.map((s) => [s.kind, s.author, s.text.trim()])).toEqual([
      ['top', null, 'Oui pour 12.'],
      ['reply', 'adv@fixations-rhone-alpes.fr', 'Bonjour,\nnotre devis'],
    ]);
  });

  it('reads Outlook "De : / Envoyé : / Objet :" blocks and Gmail forward separators', () => {
    const segs = splitSegments(
      'À saisir.\n\n---------- Forwarded message ---------\nFrom: Lucie <achats@girard-elec.fr>\nDate: Mon, 23 Nov 2026\nSubject: Commande GIR-1\nTo: <jp@x.fr>\n\n- 3 x CHV-8\n\nDe : Paul <p@batisud.fr>\nEnvoyé : lundi\nObjet : Devis\n\nTexte\n',
    );
    expect(segs.map((s) => [s.kind, s.author, s.subject])).toEqual([
      ['top', null, null],
      ['forward', 'achats@girard-elec.fr', 'Commande GIR-1'],
      ['forward', 'p@batisud.fr', 'Devis'],
    ]);
    expect(segs[1]!.text.trim()).toBe('- 3 x CHV-8');
  });

  it('reads a header block whose fields come in another order, the sender among them (Thunderbird)', () => {
    const segs = splitSegments(
      'Pour saisie.\n\n-------- Message transféré --------\nSujet :\tCommande 26-118\nDate :\tVen, 4 déc. 2026 08:41\nDe :\tAchats <achats@girard-elec.fr>\nPour :\tadv@fixations-rhone-alpes.fr\n\n- 3 x CHV-8\n',
    );
    expect(segs.map((s) => [s.kind, s.author, s.subject, s.date ?? null])).toEqual([
      ['top', null, null, null],
      ['forward', 'achats@girard-elec.fr', 'Commande 26-118', 'Ven, 4 déc. 2026 08:41'],
    ]);
    expect(segs[1]!.text.trim()).toBe('- 3 x CHV-8');
  });

  it('does not take a body line naming a sender alone for a header block', () => {
    const segs = splitSegments('Bonjour,\nDe : notre dépôt de Lyon\n\n- 3 x CHV-8\n');
    expect(segs.map((s) => s.kind)).toEqual(['top']);
  });

  it('joins an attribution line that Gmail wrapped over two lines', () => {
    const segs = splitSegments('Ok\n\nLe lun. 23 nov. 2026 à 09:12, Jean Martin <\nj.martin@dupont-quincaillerie.fr> a écrit :\n> texte\n');
    expect(segs[1]).toMatchObject({ kind: 'reply', author: 'j.martin@dupont-quincaillerie.fr' });
  });
});

describe('detectFaxGateway', () => {
  const base = { fromAddress: 'someone@example.fr', fromName: '', subject: '', text: '', hasFaxImage: true };
  it('reads HylaFAX fields, preferring the caller ID to the station ID', () => {
    expect(detectFaxGateway({ ...base, fromAddress: 'fax@gw.fr', text: 'recvq/fax000000001.tif:\n   Sender: ROUSSEAU PLOMBERIE\n   CallID1: 0473334456\n' })).toEqual({ style: 'hylafax', fax: '0473334456' });
    expect(detectFaxGateway({ ...base, subject: 'facsimile received from +33 4 73 33 44 56', text: 'CallID1: \n' })).toEqual({ style: 'hylafax', fax: '+33 4 73 33 44 56' });
  });

  it('says so when the caller withheld its number', () => {
    expect(detectFaxGateway({ ...base, fromAddress: 'message@inbound.efax.com', subject: 'eFax message from "unknown" - 1 page(s)' })).toEqual({ style: 'efax', fax: null });
  });

  it('reads T.37 FAX= addresses and French gateway body fields', () => {
    expect(detectFaxGateway({ ...base, fromAddress: 'fax=+33385405061@t37.operateur.fr' })).toEqual({ style: 't37', fax: '+33385405061' });
    expect(detectFaxGateway({ ...base, subject: 'Nouveau document', text: "Numéro de l'expéditeur : 04 93 80 90 01\nPages : 2" })).toEqual({ style: 'gateway', fax: '04 93 80 90 01' });
  });

  it('does not take an ordinary email mentioning a fax number for a gateway message', () => {
    expect(detectFaxGateway({ ...base, subject: 'Commande', text: 'Fax : 04 78 12 34 57', hasFaxImage: false })).toBeNull();
    expect(detectFaxGateway({ ...base, subject: 'Fax de 04 78 12 34 57', hasFaxImage: false })).toBeNull();
  });
});

describe('cutAttachedMessages', () => {
  it('cuts an attached message out byte for byte and leaves the rest parseable', () => {
    const inner = 'From: a@cbf.be\r\nSubject: x\r\n\r\nR\xe9f\r\n';
    const raw = Buffer.from(`Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nvoir PJ\r\n--B\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename="cde.eml"\r\n\r\n${inner}\r\n--B--\r\n`, 'latin1');
    const { rest, messages } = cutAttachedMessages(raw);
    expect(messages).toEqual([{ bytes: Buffer.from(inner, 'latin1'), fileName: 'cde.eml' }]);
    expect(rest.toString('latin1')).not.toContain('a@cbf.be');
    expect(rest.toString('latin1')).toContain('voir PJ');
  });
});

describe('messages end to end', () => {
  it('reads a windows-1252 quoted-printable body (€ and curly quotes) and a subject in RFC 2047', async () => {
    const r = await extractRaw(
      `From: =?windows-1252?Q?Qu=E9bec_Achats?= <achats@qcn-nice.fr>
To: adv@fixations-rhone-alpes.fr
Subject: =?windows-1252?Q?Commande_n=B0_QCN-1210?=
Date: Mon, 23 Nov 2026 09:00:00 +0100
MIME-Version: 1.0
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

Bonjour,
Merci de nous livrer l=92article suivant :
R=E9f : SER-3P
Qt=E9 : 2
Prix : 89,00 =80
`,
    );
    expect(r.orders[0]).toMatchObject({ poNumber: 'QCN-1210', customer: { id: 'C021' }, lines: [{ sku: 'SER-3P', quantity: 2, unitPrice: 89 }] });
  });

  it('takes the PO number from the subject when the body does not give it', async () => {
    const r = await extractRaw(`From: achats@batisud.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: TR: Cde BS-26-044\nContent-Type: text/plain; charset=utf-8\n\n- 4 x NIV-60\n`);
    expect(r.orders[0]).toMatchObject({ poNumber: 'BS-26-044', customer: { id: 'C022' } });
  });

  it('turns garbage, an empty body or a broken MIME structure into problems, never a crash', async () => {
    const garbage = await extractRaw(Buffer.concat([Buffer.from('From: x@y.fr\r\nSubject: ?\r\nContent-Type: multipart/mixed; boundary="Z"\r\n\r\n--Z\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80])]));
    expect(garbage.orders).toEqual([]);
    expect(garbage.problems.map((p) => p.code)).toContain('EMAIL_NO_ORDER');
    expect(garbage.problems.every((p) => !/at .*\.ts:\d+/.test(p.message))).toBe(true);

    const empty = await extractRaw('From: achats@batisud.fr\nSubject: (sans objet)\n\n');
    expect(empty.problems.map((p) => p.code)).toEqual(['EMAIL_NO_ORDER']);
  });

  it('reports an attachment it cannot read (a spreadsheet) instead of dropping it silently', async () => {
    const xlsx = Buffer.from('504b0304140006000800000021000000000000000000000000000000', 'hex');
    const r = await extractRaw(
      `From: achats@batisud.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: Commande BS-26-050\nContent-Type: multipart/mixed; boundary="Q"\n\n--Q\nContent-Type: text/plain\n\nci-joint\n--Q\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="cde.xlsx"\nContent-Disposition: attachment; filename="cde.xlsx"\nContent-Transfer-Encoding: base64\n\n${xlsx.toString('base64')}\n--Q--\n`,
    );
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([
      ['ATTACHMENT_NOT_READ', 'warning'],
      ['EMAIL_NO_ORDER', 'error'],
    ]);
    expect(r.problems[0]!.message).toContain('"cde.xlsx"');
    expect(r.problems[1]!.message).toContain('it mentions order BS-26-050');
  });

  it('reads an order pasted in a text attachment without a charset (Latin-1 from Windows)', async () => {
    const csv = Buffer.from('Réf;Désignation;Qté\r\nCHV-8;Cheville 8x40;30\r\n', 'latin1');
    const r = await extractRaw(
      `From: achats@batisud.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: Commande BS-26-051\nContent-Type: multipart/mixed; boundary="Q"\n\n--Q\nContent-Type: text/plain\n\nci-joint\n--Q\nContent-Type: text/csv; name="cde.csv"\nContent-Disposition: attachment; filename="cde.csv"\nContent-Transfer-Encoding: base64\n\n${csv.toString('base64')}\n--Q--\n`,
    );
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]).toMatchObject({ poNumber: 'BS-26-051', customer: { id: 'C022' }, lines: [{ sku: 'CHV-8', quantity: 30 }], provenance: { parser: 'email-attachment-text', location: 'cde.csv' } });
  });

  it('keeps one order when the body repeats the attached one', async () => {
    const json = JSON.stringify({ customerId: 'C022', poNumber: 'BS-26-052', lines: [{ sku: 'CHV-8', quantity: 30 }] });
    const r = await extractRaw(
      `From: achats@batisud.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: Commande BS-26-052\nContent-Type: multipart/mixed; boundary="Q"\n\n--Q\nContent-Type: text/plain\n\nCommande n° BS-26-052 : 30 x CHV-8, détail en pièce jointe.\n--Q\nContent-Type: application/json; name="cde.json"\nContent-Disposition: attachment; filename="cde.json"\n\n${json}\n--Q--\n`,
    );
    expect(r.orders.map((o) => [o.poNumber, o.provenance.parser])).toEqual([['BS-26-052', 'api-json']]);
  });

  it('stops a message that attaches itself over and over at the nesting limit', async () => {
    let msg = 'From: achats@batisud.fr\r\nSubject: boucle\r\nContent-Type: text/plain\r\n\r\nrien\r\n';
    for (let i = 0; i < 7; i++) msg = `From: achats@batisud.fr\r\nSubject: Fwd: boucle ${i}\r\nContent-Type: multipart/mixed; boundary="L${i}"\r\n\r\n--L${i}\r\nContent-Type: message/rfc822\r\n\r\n${msg}\r\n--L${i}--\r\n`;
    const r = await extractRaw(msg);
    expect(r.orders).toEqual([]);
    expect(r.problems.map((p) => p.code)).toContain('TOO_DEEPLY_NESTED');
  });
});

describe('who the customer is', () => {
  it('reads an order one of us typed (taken by phone), naming the customer in the text', async () => {
    const r = await extractRaw(
      `From: Jean-Pierre Roux <jp.roux@fixations-rhone-alpes.fr>\nTo: adv@fixations-rhone-alpes.fr\nSubject: Commande tel Serrurerie Moreau\nContent-Type: text/plain; charset=utf-8\n\nCommande prise par téléphone pour Serrurerie Moreau, n° de commande SM-120 :\n- 2 x SER-3P\n\nJP Roux - Fixations Rhône-Alpes SAS - Tél. 06 12 34 56 78\n`,
    );
    expect(r.orders[0]).toMatchObject({ poNumber: 'SM-120', customer: { id: 'C017', matchedBy: 'name' }, lines: [{ sku: 'SER-3P', quantity: 2 }] });
    expect(r.orders[0]!.provenance.signals).toContain('typed by jp.roux@fixations-rhone-alpes.fr, one of us');
  });

  it('does not read the order lines of our own quoted confirmation as a new order', async () => {
    const r = await extractRaw(
      `From: j.martin@dupont-quincaillerie.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: RE: Confirmation de commande DUP-2611-042\nIn-Reply-To: <conf-4471@fixations-rhone-alpes.fr>\nContent-Type: text/plain; charset=utf-8\n\nMerci, c'est noté.\n\nDe : ADV <adv@fixations-rhone-alpes.fr>\nEnvoyé : lundi 23 novembre 2026 10:02\nObjet : Confirmation de commande DUP-2611-042\n\n- 12 x VIS-440\n- 5 x CHV-6\n`,
    );
    expect(r.orders).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['EMAIL_NO_ORDER']);
  });

  it('uses a known fax number in the body when the sender address is unknown', async () => {
    const r = await extractRaw(`From: compta.garage@orange.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: commande\nContent-Type: text/plain; charset=utf-8\n\n- 4 x FOR-COF\n\nGarage Fontaine\nTél 02 99 30 40 50 / Fax 02 99 30 40 51\n`);
    expect(r.orders[0]!.customer).toMatchObject({ id: 'C023', matchedBy: 'fax' });
  });

  it('names the evidence it had when no customer matches', async () => {
    const r = await extractRaw(`From: bob@inconnu-bricolage.fr\nTo: adv@fixations-rhone-alpes.fr\nSubject: Commande 7781\nContent-Type: text/plain; charset=utf-8\n\n- 4 x FOR-COF\n`);
    expect(r.orders[0]!.customer).toEqual({ id: null, name: null, matchedBy: null });
    expect(r.problems.find((p) => p.code === 'UNKNOWN_CUSTOMER')?.message).toContain('email=bob@inconnu-bricolage.fr');
  });
});

describe('charsets', () => {
  it('reads 8-bit Latin-1 text that declares no charset (old French mailers) as Windows-1252', async () => {
    const raw = Buffer.from('From: achats@batisud.fr\r\nTo: adv@fixations-rhone-alpes.fr\r\nSubject: Commande BS-26-060\r\n\r\nR\xe9f : EQU-100\r\nD\xe9signation : \xc9querre 100 mm\r\nQt\xe9 : 40\r\nLivraison souhait\xe9e : 30/11/2026\r\n', 'latin1');
    const r = await extractRaw(raw);
    expect(r.orders[0]).toMatchObject({ poNumber: 'BS-26-060', requestedDeliveryDate: '2026-11-30', lines: [{ sku: 'EQU-100', quantity: 40, description: 'Équerre 100 mm' }] });
  });

  it('leaves a declared charset alone', async () => {
    const { labelUndeclaredCharset } = await import('../../../parsers/email/index');
    expect(labelUndeclaredCharset(Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\nx'))).toBeNull();
    expect(labelUndeclaredCharset(Buffer.from('Content-Type: text/plain\r\n\r\nx'))?.toString()).toBe('Content-Type: text/plain; charset=windows-1252\r\n\r\nx');
  });
});

describe('Outlook HTML reply', () => {
  it('reads the customer text above the "De : / Envoyé :" block and ignores our quoted signature', async () => {
    const html = `<html><body><div class=WordSection1>
<p class=MsoNormal>Bonjour,<o:p></o:p></p>
<p class=MsoNormal>Merci d'ajouter à notre commande n° GF-2026-118 :<o:p></o:p></p>
<p class=MsoNormal>- 4 x FOR-COF<o:p></o:p></p>
<p class=MsoNormal>- 10 x EMB-PZ2<o:p></o:p></p>
<p class=MsoNormal>Garage Fontaine<o:p></o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'>
<p class=MsoNormal><b>De&nbsp;:</b> ADV Fixations Rh&ocirc;ne-Alpes &lt;adv@fixations-rhone-alpes.fr&gt;<br><b>Envoy&eacute;&nbsp;:</b> vendredi 20 novembre 2026 16:05<br><b>&Agrave;&nbsp;:</b> garage.fontaine35@orange.fr<br><b>Objet&nbsp;:</b> Confirmation de commande GF-2026-118<o:p></o:p></p></div>
<p class=MsoNormal>- 2 x MAR-500<o:p></o:p></p>
<p class=MsoNormal>Fixations Rh&ocirc;ne-Alpes SAS - TVA FR47512345678 - T&eacute;l. 04 72 10 20 30<o:p></o:p></p>
</div></body></html>`;
    const r = await extractRaw(
      `From: Garage Fontaine <garage.fontaine35@orange.fr>\nTo: adv@fixations-rhone-alpes.fr\nSubject: RE: Confirmation de commande GF-2026-118\nIn-Reply-To: <conf-gf-2026-118@fixations-rhone-alpes.fr>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from(html).toString('base64')}\n`,
    );
    expect(r.orders).toHaveLength(1);
    const o = r.orders[0]!;
    expect(o.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['FOR-COF', 4],
      ['EMB-PZ2', 10],
    ]);
    expect(o.poNumber).toBe('GF-2026-118');
    expect(o.customer).toMatchObject({ id: 'C023', matchedBy: 'name' });
    // The subject names the confirmation this replies to: no "copy of an order" signal for the new text.
    expect(o.provenance.signals.filter((x) => x !== SHIP_TO_DEFAULTED)).toEqual(['reply to <conf-gf-2026-118@fixations-rhone-alpes.fr>']);
  });
});

describe('copy marks written in the message', () => {
  const pdf = readFileSync(join(import.meta.dirname, '../../../fixtures/pdf/classic-1000.pdf')).toString('base64').replace(/.{76}/g, '$&\n');
  const mail = (subject: string, body: string) => `From: achats@quincaillerie-dupont.fr
To: commandes@fixations-ra.fr
Subject: ${subject}
Date: Mon, 23 Nov 2026 10:00:00 +0100
Message-ID: <copie-1@quincaillerie-dupont.fr>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset="utf-8"

${body}

--b1
Content-Type: application/pdf; name="commande.pdf"
Content-Disposition: attachment; filename="commande.pdf"
Content-Transfer-Encoding: base64

${pdf}
--b1--
`;

  it('are carried to the order read from the attached PDF', async () => {
    const r = await extractRaw(mail('Commande', 'Bonjour,\nCOPIE - commande déjà transmise par EDI, ne pas saisir.\nCordialement'));
    expect(r.orders).toHaveLength(1);
    expect(r.orders[0]!.provenance.signals).toEqual(expect.arrayContaining(['marked COPIE', 'already sent by another channel']));
  });

  it('are not invented: a plain covering note, or a reply to our confirmation, adds none', async () => {
    const plain = await extractRaw(mail('Commande', 'Bonjour,\nVeuillez trouver ci-joint notre commande.\nCordialement'));
    expect(plain.orders[0]!.provenance.signals.filter((s) => /COPIE|already|confirmation/.test(s))).toEqual([]);
    const reply = await extractRaw(mail('RE: Confirmation de commande', 'Bonjour,\nVoici une nouvelle commande.\nCordialement'));
    expect(reply.orders[0]!.provenance.signals.filter((s) => /COPIE|already|confirmation/.test(s))).toEqual([]);
  });
});
