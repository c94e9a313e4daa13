// The label dictionaries: how buyers in France, Belgium, Switzerland, Germany, Italy, the
// Netherlands, Spain and English-speaking countries name each header field and table column. One
// module, so that every reader (email text, PDF positions, OCR) knows the same words. Every entry
// is a plain alternation (no nested quantifiers), written lower-case; callers match ignoring case.

/** Regex fragments, longest first where one is the start of another ("bon de commande n°" before "commande"). */
export const PO_LABELS: readonly string[] = [
  // FR
  'num[ée]ro\\s+de\\s+(?:bon\\s+de\\s+)?commande',
  'n[°ºo]\\.?\\s*(?:de\\s+)?(?:bon\\s+de\\s+)?commande(?:\\s+client)?',
  'bon\\s+de\\s+commande(?:\\s+n[°ºo]\\.?)?',
  'r[ée]f(?:[ée]rence|\\.)?\\s*(?:de\\s+)?(?:la\\s+|votre\\s+|notre\\s+)?commande',
  '(?:notre|votre)\\s+commande(?:\\s+n[°ºo]\\.?)?',
  // "N/Réf. : LT/26/36", "Notre référence : …": the buyer's own reference in its order (never "V/Réf.", ours).
  'n\\s?\\/\\s?r[ée]f(?:[ée]rence|\\.)?',
  'notre\\s+r[ée]f[ée]rence',
  // The same in the other languages: "Our ref.", "Unsere Referenz", "Unser Zeichen", "Nostro riferimento", "Nuestra referencia", "Onze referentie".
  'our\\s+ref(?:erence|\\.)?',
  'unsere\\s+referenz',
  'unser\\s+zeichen',
  'nostro\\s+riferimento',
  'nuestra\\s+referencia',
  'onze\\s+ref(?:erentie|\\.)?',
  'commande\\s+(?:client\\s+|fournisseur\\s+|d[\'’]achat\\s+)?n[°ºo]\\.?',
  'n[°ºo]\\.?\\s*(?:de\\s+)?cde',
  'no\\.?\\s*cde',
  'cde\\s+n[°ºo]\\.?',
  'n[°ºo]\\.?\\s*(?:de\\s+)?pi[èe]ce',
  'bc\\s+n[°ºo]\\.?',
  "(?:bon\\s+d'|n[°ºo]\\.?\\s*d')?engagement(?:\\s+n[°ºo]\\.?)?",
  // EN
  'purchase\\s+order\\s+(?:no|number|n[°ºo]|nr|#)\\.?',
  'customer\\s+(?:po|order)\\s*(?:no|number|nr|#)?\\.?',
  'your\\s+order\\s*(?:no|number|nr|#)?\\.?',
  'p\\.\\s?o\\.(?:\\s*(?:no|number|n[°ºo]|#)\\.?)?',
  'po\\s*(?:no|number|n[°ºo]|nr|#)\\.?',
  'order\\s+(?:no|number|n[°ºo]|nr|#|ref(?:erence)?)\\.?',
  // DE
  'bestell(?:ung)?[ \\t-]*(?:nr|nummer|no)\\.?',
  'bestellnummer',
  'auftrags?[ \\t-]*(?:nr|nummer)\\.?',
  '(?:ihre|unsere)\\s+bestellung(?:\\s+nr\\.?)?',
  // IT
  'n(?:\\.|[°º]|r\\.)\\s*(?:dell\'|d\')?ordine',
  'numero\\s+(?:dell\'|d\')?ordine',
  'ordine\\s+(?:d[\'’]acquisto\\s+)?(?:n[°º.]|nr\\.?|numero)',
  'rif(?:\\.|erimento)\\s*(?:dell[\'’]\\s*)?ordine',
  // ES
  'n[úu]mero\\s+de\\s+pedido',
  'n(?:\\.?[°º]|[úu]m\\.?|ro\\.?)\\s*(?:de\\s+)?pedido',
  'pedido\\s+(?:n\\.?[°º]|nro\\.?|n[úu]m(?:ero|\\.)?)',
  'orden\\s+de\\s+compra(?:\\s+n\\.?[°º])?',
  'ref(?:\\.|erencia)\\s*(?:del\\s+)?pedido',
  // NL
  'bestelnummer',
  // "Bestelnr.", "Bestel-nr.", "Inkoopnr.", "Ordernr." (King, Exact, AFAS).
  'bestel[ \\t-]*(?:nr|no)\\.?',
  'inkoop[ \\t-]*(?:nr|nummer)\\.?',
  'order[ \\t-]*nr\\.?',
  'bestelbon(?:\\s*(?:nr|nummer)\\.?)?',
  'ordernummer',
  'inkooporder(?:nummer)?(?:\\s*nr\\.?)?',
  'bestelling(?:\\s*nr\\.?)?',
  'order\\s*nr\\.?',
  // "Document No." (Dynamics, SAP): the number of whatever document the title names, like a bare "N°".
  'document\\s*(?:no|number|nr|nummer|#)\\.?',
  // Bare words: weaker evidence (see WEAK_PO_LABELS).
  'purchase\\s+order',
  'commande',
  'cde',
  'bc',
  'po',
  'order',
  'bestellung',
  'ordine',
  'pedido',
  // "N° : CDE26/0042", "Numéro BCF606652" under a title: the weakest of all, checked for what precedes it.
  'n[°º]\\.?',
  'nr\\.',
  // Dynamics' "No." under an "Order" title; "Vendor Order No.", "Phone No." are other numbers (header.ts).
  'no\\.',
  // "#PO1045" alone at a line's start, under a "Purchase Order" title (NetSuite's form): header.ts checks where it stands.
  '#',
  'num[ée]ro',
  'number',
  'nummer',
  'n[úu]mero',
];

/** Labels that are only a word ("Commande 4512"), weaker evidence than "N° de commande : 4512". */
export const WEAK_PO_LABEL = /^(?:document\s*(?:no|number|nr|nummer|#)\.?|commande|order|po|cde|bc|engagement|purchase\s+order|bestellung|ordine|pedido|n[°º]\.?|nr\.|no\.|#|num[ée]ro|number|nummer|n[úu]mero)$/i;

/** A bare number label ("N°", "Numéro"): the number of whatever the title above names. */
export const BARE_NUMBER_LABEL = /^(?:document\s*(?:no|number|nr|nummer|#)\.?|n[°º]\.?|nr\.|no\.|#|num[ée]ro|number|nummer|n[úu]mero)$/i;

/** A title naming a purchase order, which vouches for a bare number label just below it. */
export const ORDER_TITLE = /(?:bon\s+de\s+commande|commande|purchase\s+order|order|bestellung|auftrag|pedido|ordine|bestelbon|bestelling|inkooporder)/i;

/** Bare "N°": the number of something else when one of these words precedes it on the line. */
export const NOT_PO_BEFORE_NUMBER = /(?:fournisseur|supplier|vendor|lieferant|client|customer|kunden?|cliente|klant|tva|vat|ust|iva|btw|siret|siren|facture|invoice|rechnung|fattura|factura|factuur|devis|quote|page|seite|pagina|t[ée]l|fax|compte|account|lot|bl|livraison|delivery|lieferschein|article|artikel|rcs|ape|naf|iban|bic|dossier|contrat|contract|projet|chantier|affaire)[\s.-]*$/i;

/** A word right before an order label that makes it another party's or another document's number: "Supplier Order No.", "Sales Order No.", "Requisition No.". */
export const NOT_PO_QUALIFIER = /(?<![\p{L}])(?:supplier|vendor|sales|requisition|quote|quotation|lieferanten|verkaufs)[ \t]*$/iu;

/** Order date, then delivery date: regex sources ending where the date may start. */
export const ORDER_DATE_LABELS: readonly string[] = [
  // OCR reads a faxed "Date" as "Data" at times: before a French order word, no other language's label.
  'dat[ea]\\s+(?:de\\s+(?:la\\s+)?)?(?:commande|cde|[ée]mission|du\\s+bon|d[\'’][ée]mission|d[\'’][ée]dition)',
  'command[ée]e?\\s+le',
  'commande\\s+(?:n[°ºo]\\.?\\s*\\S+\\s+)?du',
  'order\\s+date',
  // Oracle's "Creation Date", SAP's and Dynamics' "Document Date": the day the order was made.
  'creation\\s+date',
  'date\\s+created',
  'document\\s+date',
  'date\\s+of\\s+order',
  'po\\s+date',
  'date\\s+issued',
  'issue\\s+date',
  'bestelldatum',
  'auftragsdatum',
  'belegdatum',
  'datum\\s+der\\s+bestellung',
  'data\\s+(?:dell[\'’])?ordine',
  // "Ordine n. 88/2026 del 01/10/2026", "Pedido n.º 12 del 1/10/2026", "Bestellung Nr. 4711 vom 1.10.2026"
  'ordine\\s+(?:n[°º.]\\s*\\S+\\s+)?del',
  'pedido\\s+(?:n\\.?[°º]?\\s*\\S+\\s+)?del',
  'bestellung\\s+(?:nr\\.?\\s*\\S+\\s+)?vom',
  'data\\s+documento',
  'fecha\\s+(?:de(?:l)?\\s+)?pedido',
  'fecha\\s+de\\s+emisi[óo]n',
  'orderdatum',
  'besteldatum',
  'datum\\s+bestelling',
];

/** Generic "Date :", "Datum:", "Fecha:", "Data:" at the start of a line, and "Lyon, le …". */
export const GENERIC_DATE_LABELS: readonly string[] = ['^[ \\t]*(?:date|datum|fecha|data|dated)', '^[ \\t]*le', "(?<![\\p{L}'’-])[\\p{L}'’-]{3,},[ \\t]*(?:le|den|il|el|am)"];

export const DELIVERY_DATE_LABELS: readonly string[] = [
  'date\\s+(?:de\\s+)?livraison(?:\\s+souhait[ée]e|\\s+demand[ée]e|\\s+pr[ée]vue|\\s+imp[ée]rative)?',
  // "Livraison sur chantier le 13/10/26" (building trade): where, then when.
  'livraison\\s+(?:sur\\s+(?:chantier|site)\\s+)?(?:souhait[ée]e|demand[ée]e|pr[ée]vue|imp[ée]rative|au\\s+plus\\s+tard|avant|pour|le)(?:\\s+(?:le|pour\\s+le|avant\\s+le))?',
  'd[ée]lai(?:\\s+de\\s+livraison)?(?:\\s+souhait[ée])?',
  'date\\s+pr[ée]vue',
  // The French need-by date, as manufacturing ERPs print it per line: "Date besoin", "Date de besoin".
  'date\\s+(?:de\\s+)?besoin',
  // The goods' arrival as the buyer's receiving dock sees it (Sage X3, Sylob): "Date de réception souhaitée", "Réception prévue".
  'date\\s+(?:de\\s+)?r[ée]ception\\s+(?:souhait[ée]e|demand[ée]e|pr[ée]vue|imp[ée]rative)',
  'r[ée]ception\\s+(?:souhait[ée]e|demand[ée]e|pr[ée]vue)',
  '[àa]\\s+livrer\\s+(?:le|pour|avant)(?:\\s+le)?',
  'livrer\\s+(?:le|pour\\s+le|avant\\s+le)',
  'date\\s+(?:d[\'’]exp[ée]dition|de\\s+mise\\s+[àa]\\s+disposition|d[\'’]enl[èe]vement)\\s+souhait[ée]e',
  'requested\\s+(?:delivery|ship|receipt)(?:\\s+date)?',
  // Dynamics' "Expected / Promised Receipt Date", NetSuite's "Expected Receipt", "Receive By".
  'expected\\s+(?:receipt|delivery|arrival)(?:\\s+date)?',
  'expected\\s+date',
  'promised\\s+receipt(?:\\s+date)?',
  'receive\\s+by',
  'delivery\\s+(?:date|by|required|requested)',
  'deliver\\s+(?:by|on)',
  'need(?:ed)?[\\s-]+by(?:\\s+date)?',
  'promised(?:\\s+(?:date|delivery))?',
  // Epicor's per-line "Promise Date": the day the goods are promised for.
  'promise\\s+date',
  'date\\s+(?:required|needed|wanted)',
  'required\\s+(?:by|date|on)',
  'due\\s+date',
  'ship\\s+date',
  'liefertermin',
  // Abbreviated, as narrow columns print them: "Date livr.", "Dt livraison", "Lief.-Termin", "Lieferdat.", "Leverdat.", "Del. date".
  'date\\s+(?:de\\s+)?livr\\.',
  'dt\\.?\\s+livr(?:aison|\\.)',
  'livr\\.\\s+(?:le|pr[ée]vue|souhait[ée]e)',
  'lief(?:\\.|er)[ \\t-]*termin',
  'lieferdat\\.',
  'leverdat\\.',
  'lev\\.\\s*datum',
  'del(?:iv)?\\.\\s+date',
  // A delivery asked for by week: "Lieferwoche KW 42", "Leverweek 42", "Semaine de livraison 42".
  'lieferwoche',
  'leverweek',
  'semaine\\s+de\\s+livraison',
  'lieferdatum',
  'wunschtermin',
  'wunschlieferdatum',
  'gew[üu]nschter\\s+liefertermin',
  '(?:gew[üu]nschtes\\s+)?wareneingangsdatum',
  'anlieferung(?:\\s+am)?',
  'lieferung\\s+(?:bis|am)',
  'data\\s+(?:di\\s+)?consegna(?:\\s+richiesta)?',
  'consegna\\s+(?:entro|il|richiesta|prevista)',
  'fecha\\s+(?:de\\s+)?entrega(?:\\s+solicitada|\\s+deseada)?',
  'entrega\\s+(?:el|antes\\s+del?|prevista)',
  'plazo\\s+de\\s+entrega',
  'leverdatum',
  'gewenste\\s+leverdatum',
  // Unit4, Exact, Mercator print the noun in full: "Leveringsdatum", "Leveringstermijn" (a date or a week), "Afleverdatum".
  'leveringsdatum',
  'leveringstermijn',
  'leveringsweek',
  'afleverdatum',
  'levering\\s+(?:op|voor)',
  // The bare noun before a colon: "Livraison : 13/10/2026" (a date must follow at once; "Livraison : 14 rue …" is an address).
  // Or with a date at once, as an information block prints it: "Lieferung   KW 45/2026" (a date must still follow: see dateAfter).
  '(?:livraison|delivery|lieferung|consegna|entrega|levering)(?=[ \\t]*:|[ \\t]+(?:\\d|kw|week|semaine)(?![\\p{L}]))',
];

/**
 * Words of an order printed in English ("Purchase Order", "Ship To", "Unit Price"): its all-numeric
 * dates may be month first (12/05/2026), where a French, German or Italian order writes day first.
 */
export const ENGLISH_ORDER_WORDS = /(?<![\p{L}])(?:purchase\s+order|order\s+date|ship\s+to|bill\s+to|invoice\s+address|delivery\s+address|vendor|supplier|quantity|qty|unit\s+price|amount|payment\s+terms|buyer|description)(?![\p{L}])/giu;
/** Words that only an order in another language prints. */
export const NOT_ENGLISH_ORDER_WORDS = /(?<![\p{L}])(?:commande|livraison|quantit[ée]|d[ée]signation|bestellung|menge|lieferung|pedido|cantidad|ordine|quantit[àa]|bestelling|aantal)(?![\p{L}])/giu;

/** Labels that open the delivery address block. */
export const SHIP_TO_LABELS: readonly string[] = [
  'adresse\\s+de\\s+livraison',
  'lieu\\s+de\\s+livraison',
  'point\\s+de\\s+livraison',
  // The buyer's receiving dock (Sage X3, Sylob): "Site de réception", "Lieu de réception".
  '(?:site|lieu|adresse|point)\\s+de\\s+r[ée]ception',
  '[àa]\\s+livrer\\s+(?:[àa]|au|aux)',
  'livrer\\s+(?:[àa]|au|aux)',
  'livraison\\s+(?:[àa]|au|aux)',
  'livraison\\s+sur\\s+(?:le\\s+)?chantier',
  'adresse\\s+(?:du|de)\\s+chantier',
  'livraison',
  'destinataire\\s+(?:marchandise|de\\s+la\\s+marchandise|livraison)',
  // "Ship-to Address", "Shipping Address" (Dynamics, NetSuite): before the bare "Ship to".
  'ship(?:ping|[\\s-]+to)[\\s-]+address',
  'ship\\s+to',
  'ship-to',
  'deliver\\s+to',
  'delivery\\s+address',
  'delivery\\s+to',
  'delivery',
  'consignee',
  'lieferadresse',
  'lieferanschrift',
  'lieferung\\s+an',
  'lieferort',
  '(?:bitte\\s+)?liefern\\s+sie\\s+(?:bitte\\s+)?an',
  'anlieferadresse',
  'warenempf[äa]nger',
  'entregar\\s+en',
  'levering',
  'indirizzo\\s+(?:di\\s+)?consegna',
  'luogo\\s+(?:di\\s+)?consegna',
  'consegna',
  'destinazione\\s+merce',
  'direcci[óo]n\\s+de\\s+entrega',
  'lugar\\s+de\\s+entrega',
  'entrega',
  'enviar\\s+a',
  'afleveradres',
  'leveradres',
  'leveringsadres',
  'afleveren\\s+(?:op|bij)',
];

/** Blocks that are never the ship-to: billing, the head office, the supplier (us). */
export const NOT_SHIP_TO_LABELS: readonly string[] = [
  'adresse\\s+de\\s+facturation',
  'facturation',
  'factur(?:er|ez)\\s+[àa]',
  'facture\\s+[àa]',
  'si[èe]ge(?:\\s+social)?',
  'bill\\s+to',
  'bill-to',
  'billing(?:\\s+address)?',
  'invoice\\s+(?:to|address)',
  'invoicing\\s+address',
  'head\\s+office',
  'registered\\s+office',
  'rechnungsadresse',
  'rechnungsanschrift',
  'rechnung\\s+an',
  'firmensitz',
  'indirizzo\\s+(?:di\\s+)?fatturazione',
  'fatturazione',
  'sede\\s+(?:legale|sociale)',
  'direcci[óo]n\\s+de\\s+facturaci[óo]n',
  'facturaci[óo]n',
  'domicilio\\s+social',
  'factuuradres',
  'facturatieadres',
  'fournisseur',
  'supplier',
  'vendor',
  'lieferant',
  'fornitore',
  'proveedor',
  'leverancier',
  '[ée]metteur',
  'acheteur',
  'buyer',
];

/** Words in the customer's address that mean "the usual place". */
export const USUAL_ADDRESS = /(?:adresse|lieu)\s+(?:de\s+livraison\s+)?habituel(?:le)?|livraison\s+habituelle|(?:au|notre)\s+d[ée]p[ôo]t\s+habituel|usual\s+(?:delivery\s+)?address|comme\s+d'habitude|[üu]bliche\s+(?:liefer)?adresse/i;

// ------------------------------------------------------------------ table columns

/**
 * Column header labels after fold() (lower case, no accents, punctuation as spaces), by role. Order
 * matters: "prix unit" is a price, not a unit; "designation article" is a description.
 */
export const COLUMN_LABELS: readonly [string, readonly string[]][] = [
  ['description', ['designation', 'designations', 'libelle', 'libelle article', 'description', 'desc', 'produit', 'product', 'article description', 'designation article', 'designation produit', 'description article', 'bezeichnung', 'artikelbezeichnung', 'beschreibung', 'descrizione', 'descripcion', 'omschrijving', 'artikelomschrijving', 'lib', 'libel']],
  ['ean', ['ean', 'ean13', 'gtin', 'code ean', 'code barre', 'code barres', 'code gtin', 'ean code']],
  ['customerReference', ['notre ref', 'notre reference', 'ref client', 'ref interne', 'code interne', 'our ref', 'our reference', 'buyer ref', 'buyer part no', 'votre code', 'code client', 'unsere art nr', 'ihre art nr', 'notre code', 'notre article', 'code acheteur', 'our part', 'our part no', 'our part number', 'our item', 'our item no']],
  ['reference', ['ref', 'refs', 'reference', 'references', 'article', 'articles', 'art', 'art no', 'no art', 'no article', 'code', 'code article', 'code art', 'ref article', 'ref art', 'item', 'ref fournisseur', 'ref fourn', 'ref frs', 'code fournisseur', 'code fourn', 'code frs', 'article fournisseur', 'reference fournisseur', 'votre ref', 'votre reference', 'vos ref', 'item code', 'item no', 'item number', 'part', 'part no', 'part number', 'part num', 'sku', 'product code', 'product no', 'your ref', 'supplier ref', 'supplier part no', 'code produit', 'artikel', 'artikel nr', 'artikelnr', 'artikelnummer', 'art nr', 'materialnummer', 'material', 'codice', 'codice articolo', 'cod art', 'articolo', 'codigo', 'cod', 'referencia', 'articulo', 'artikelcode', 'artikelnummer leverancier']],
  ['quantity', ['qte', 'qtes', 'qty', 'quantite', 'quantites', 'quantity', 'qt', 'qte cdee', 'qte cde', 'qte commandee', 'qte cmd', 'qte commande', 'quantite commandee', 'quant', 'qte u', 'qty ordered', 'ordered qty', 'order qty', 'nb', 'nombre', 'menge', 'bestellmenge', 'anzahl', 'quantita', 'q ta', 'qta', 'cantidad', 'cant', 'aantal', 'hoeveelheid', 'hoev']],
  ['unitPrice', ['pu', 'p u', 'pu ht', 'p u ht', 'prix', 'prix ht', 'prix unit', 'prix unitaire', 'prix unit ht', 'prix unitaire ht', 'prix net', 'pu net', 'p u net', 'p u net ht', 'prix unit net', 'prix brut', 'p u brut', 'unit price', 'price', 'net price', 'prix u', 'prix u ht', 'tarif', 'einzelpreis', 'preis', 'stuckpreis', 'preis me', 'preis je me', 'nettopreis', 'prezzo', 'prezzo unitario', 'prezzo unit', 'precio', 'precio unitario', 'precio unit', 'prijs', 'stukprijs', 'eenheidsprijs', 'eenh prijs', 'ek preis', 'ek preis je me', 'vk preis', 'pa', 'pa ht', 'pa net', 'pa net ht', 'prix achat', 'prix d achat', 'prix 100', 'prix 100 ht', 'prix par 100', 'pu 100', 'preis je 100', 'preis je 100 st', 'preis 100', 'price per 100', 'price 100', 'prix 1000', 'preis je 1000', 'direct unit cost', 'unit cost', 'rate', 'precio neto', 'prezzo netto']],
  ['discount', ['remise', 'rem', 'rabatt', 'rab', 'dto', 'descuento', 'sconto', 'disc', 'line disc', 'discount', 'korting', 'remise ligne']],
  ['unit', ['u', 'un', 'unite', 'unites', 'unit', 'uom', 'uom code', 'unit of measure', 'unit of measure code', 'unit of meas', 'units', 'um', 'cond', 'conditionnement', 'uv', 'me', 'einheit', 'einh', 'eh', 'unita', 'u m', 'ud', 'uds', 'unidad', 'eenheid']],
  ['amount', ['montant', 'montant ht', 'montant net', 'montant net ht', 'total', 'total ht', 'total ligne', 'mt ht', 'mt', 'amount', 'line total', 'mont ht', 'montant ligne', 'total net', 'value', 'net amount', 'montant total', 'betrag', 'gesamtpreis', 'gesamt', 'nettowert', 'nettobetrag', 'positionswert', 'importo', 'totale', 'importe', 'bedrag', 'netto bedrag', 'totaal', 'ext price', 'ext cost', 'ext amount', 'extended', 'extended price', 'extended cost', 'extension', 'line amount']],
  ['lineNumber', ['no', 'n', '#', 'pos', 'position', 'ligne', 'lig', 'l', 'line', 'no ligne', 'item no ligne', 'pos nr', 'posizione', 'riga', 'linea', 'regel', 'lfd nr']],
];

/** Dotted or underlined leaders between a label and its value ("N° commande......: 4500"), as one space. */
export function unleader(text: string): string {
  return text.replace(/(?:\.[ \t]?){2,}|…+|_{3,}/g, ' ');
}

/**
 * Words of a charge row printed among the articles ("Frais de port", "Verpackung und Fracht pauschal",
 * "Vrachtkosten", "Shipping and handling"): folded, lower-case. A row whose designation holds only
 * these (and at least one not in CHARGE_FILLERS) and no reference is a charge, not an article.
 */
export const CHARGE_WORDS: ReadonlySet<string> = new Set([
  // FR
  'frais', 'port', 'transport', 'livraison', 'emballage', 'emballages', 'expedition', 'manutention', 'participation', 'forfait', 'forfaitaire', 'franco',
  // DE
  'verpackung', 'fracht', 'frachtkosten', 'versand', 'versandkosten', 'porto', 'transportkosten', 'lieferkosten', 'mindermengenzuschlag', 'zuschlag', 'pauschal', 'pauschale', 'anlieferung',
  // NL
  'vracht', 'vrachtkosten', 'verzendkosten', 'verzending', 'leveringskosten', 'verpakking', 'verpakkingskosten', 'transportkosten', 'administratiekosten',
  // EN
  'freight', 'shipping', 'handling', 'delivery', 'carriage', 'postage', 'packing', 'packaging', 'surcharge', 'charge', 'charges', 'fee', 'flat',
  // IT, ES
  'spese', 'trasporto', 'spedizione', 'imballo', 'imballaggio', 'portes', 'gastos', 'envio', 'embalaje', 'transporte',
]);
/** Words that join charge words ("frais de port et emballage", "Verpackung und Versand") without making a charge alone. */
export const CHARGE_FILLERS: ReadonlySet<string> = new Set(['de', 'du', 'des', 'et', 'sur', 'chantier', 'und', 'en', 'and', 'e', 'di', 'y', 'la', 'le', 'rate', 'kosten', 'costs', 'cost']);

/** Right before a code in a designation: the line says it is our article number ("Uw artikelnummer:", "Ihre Materialnummer:", "Votre réf. :"). */
export const OUR_ARTICLE_BEFORE = /(?:uw|ihre|votre|your|su|vs\.|vostro|vuestra)[ \t]+(?:art|material|r[ée]f|n[°º]|nr|item|part|cod|supplier)[^\n]{0,30}$/iu;
