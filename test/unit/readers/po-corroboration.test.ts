// A PO number labelled only by a bare word (issue #15, touchless): what legitimately says it is the
// order's number — a name the sender gave the document apart from its text (the attachment's file
// name, the e-mail's subject), the document's own title when the header's blocks were reordered, an
// order word right before the label — and what does not (a number merely printed once after "cde").
import { describe, expect, it } from 'vitest';
import { findPoCandidates, findPoNumber } from '../../../parsers/text/header';
import { namesCarrying, poEvidence } from '../../../parsers/text/index';

const judge = (text: string, names: { what: string; text: string }[] = []) => poEvidence(findPoNumber(text)!, findPoCandidates(text), text, names);

describe('PO number under a bare label', () => {
  it('is corroborated by an attachment file name carrying the same number, whatever its separators', () => {
    const text = 'Adresse de facturation\nN° : AB26-311-C\nAcheteur P. Roux';
    expect(judge(text).flag).toContain('N°');
    const e = judge(text, [{ what: "the attachment's file name", text: 'industrie_AB26_311_C.pdf' }]);
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy).toContain("the attachment's file name carries it (« industrie_AB26_311_C.pdf »)");
  });

  it('is not corroborated by a name carrying only part of it, or a longer number', () => {
    expect(namesCarrying('AB26-311-C', [{ what: 'f', text: 'AB26_311.pdf' }])).toEqual([]);
    expect(namesCarrying('4512', [{ what: 'f', text: 'scan_45121.pdf' }])).toEqual([]);
    expect(namesCarrying('238', [{ what: 'f', text: 'cde_238.pdf' }])).toEqual([]); // too short to be told from a count
    expect(namesCarrying('PO-807655', [{ what: 'f', text: 'd365_PO_807655.pdf' }])).toHaveLength(1);
    const text = 'Adresse de facturation\nN° : AB26-311-C';
    expect(judge(text, [{ what: 'f', text: 'AB26_311.pdf' }]).flag).toContain('N°');
  });

  it("is corroborated by the document's title naming an order, when it is the only number a bare label prints", () => {
    const reordered = 'Fournisseur\nFixations Rhône-Alpes SAS\n69007 Lyon\n\nCOMMANDE D’ACHAT\n\nAdresse de livraison\nSAT\nRoute de la Croisette\n73350 Champagny\n\nN° :   AB26-188-A\nDu   23.10.2026';
    const e = judge(reordered);
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy!.join()).toContain('COMMANDE D’ACHAT');
    // No title naming an order: still flagged.
    expect(judge(reordered.replace('COMMANDE D’ACHAT', 'BON DE LIVRAISON')).flag).toContain('N°');
    // Right under a heading naming another party: that party's number, not the order's.
    expect(judge(reordered.replace('N° :   AB26-188-A', 'Client\nN° :   AB26-188-A')).flag).toContain('N°');
    // Two numbers under bare labels: the title does not say which is the order's.
    expect(judge(`${reordered}\nNuméro 77812`).flag).toContain('N°');
  });

  it('is corroborated by an order word right before its label on the same line', () => {
    const e = judge('Bonjour,\nBon pour commande (notre n° 5142), mais avec ces quantités :');
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy).toContain('an order word right before its label');
    expect(judge('Bonjour,\nVoir le catalogue, page 3 (n° 5142) pour les quantités').flag).toContain('n°');
  });

  it('stays flagged when only a bare word labels it in a sentence', () => {
    expect(judge('Bonjour, svp 81 BOU-M10, 2100 LUN-PRO, cde 238, livraison ZI Molina').flag).toContain('cde');
  });

  it("is corroborated by an order word labelling a row of the header's field block, under a title naming an order", () => {
    const block = 'Comptoir Belge de la Fixation\nPurchase order\n\nQuotation        Q870186\nPurchase order   PO-984614\nDate             10/29/2026\nOrderer   A. García';
    const e = judge(block);
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy).toContain("a field of the header's block under the document's title « Purchase order »");
    // "Label: value" rows, as some ERPs print them.
    const colons = 'PURCHASE ORDER\n     Requisition #: 482308\n     Purchase Order: P247309\n     Order Date: 10/31/2026';
    expect(judge(colons).flag).toBeUndefined();
    // No title naming an order: still flagged.
    expect(judge(block.replace('Purchase order\n\n', 'Delivery note\n\n')).flag).toContain('Purchase order');
    // Alone on its row, with no other field beside it at the same column: not a field block.
    expect(judge('Purchase order\n\nPurchase order   PO-984614\n\nThank you').flag).toContain('Purchase order');
    // In a sentence, even under the title: still flagged.
    expect(judge('Purchase order\nQuotation   Q870186\nAs agreed, purchase order 46229 replaces the call-off.\nDate   10/29/2026').flag).toContain('purchase order');
    // A second number under a weak label: the block does not say which is the order's.
    expect(judge(`${block}\nOrder   77812`).flag).toContain('Purchase order');
  });

  it("reads the field block from the document's printed rows when its header text was regrouped by blocks", () => {
    const regrouped = 'Purchase Order\n\nReq. No.\nPurchase Order\nOrder Date\n\n351136\n46229\nNov 18, 2026';
    const rows = 'Purchase Order\nReq. No.   351136\nPurchase Order   46229\nOrder Date   Nov 18, 2026';
    const po = { value: '46229', label: 'Purchase Order' };
    expect(poEvidence(po, findPoCandidates(regrouped), regrouped).flag).toContain('Purchase Order');
    const e = poEvidence(po, findPoCandidates(regrouped), regrouped, [], rows);
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy).toContain("a field of the header's block under the document's title « Purchase Order »");
  });
  it("is corroborated by the order word and the number making the document's title, a line of their own", () => {
    const bexio = 'Quincaillerie Romande SA\nAvenue de la Gare 5\n1003 Lausanne\nCommande CF26-0042\nDate   22.10.2026\nDélai de livraison   05.11.2026';
    const e = judge(bexio);
    expect(e.flag).toBeUndefined();
    expect(e.corroboratedBy).toContain("the order word and the number make the document's title « Commande CF26-0042 », a line of their own");
    expect(judge('Eisenwaren Keller AG\nBestellung BST-260042\nBestelldatum 22.10.2026').flag).toBeUndefined();
    // Anything else on the line: a sentence, not a title.
    expect(judge('Quincaillerie Romande SA\nCommande CF26-0042 à livrer vite\nDate   22.10.2026').flag).toContain('Commande');
    // Not the first line naming an order: the title names none, this one is a line of the text.
    expect(judge('Bon de livraison sans commande\nCommande CF26-0042\nDate   22.10.2026').flag).toContain('Commande');
    // A second number under a weak label: the title does not say which is the order's.
    expect(judge(`${bexio}\nCde 77812`).flag).toContain('Commande');
    // A short number, as a count may be: still flagged.
    expect(judge('Quincaillerie Romande SA\nCommande 238\nDate   22.10.2026').flag).toContain('Commande');
  });
});
