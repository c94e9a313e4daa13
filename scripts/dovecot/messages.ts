// Order emails as our customers send them, for the listener's tests, the benchmark and the dev
// mailbox: a typed list in the body, and (optionally) the same order as an `*.order.json` attachment.
// Customers, domains and SKUs come from fixtures/masterdata.

const CUSTOMERS = [
  { id: 'C001', name: 'Quincaillerie Dupont', domain: 'dupont-quincaillerie.fr', buyer: 'Jean Martin', prefix: 'DUP' },
  { id: 'C003', name: 'Matériaux Martin SARL', domain: 'materiaux-martin.fr', buyer: 'Sophie Girard', prefix: 'MM' },
  { id: 'C005', name: 'BTP Services Grenoble', domain: 'btp-grenoble.fr', buyer: 'Karim Benali', prefix: 'BTP' },
  { id: 'C010', name: 'Ets Lefèvre et Fils', domain: 'lefevre-fils.fr', buyer: 'Paul Lefèvre', prefix: 'LEF' },
  { id: 'C011', name: 'Menuiserie Bernard', domain: 'menuiserie-bernard.fr', buyer: 'Claire Bernard', prefix: 'MB' },
];
const ITEMS = [
  { sku: 'VIS-440', label: 'vis inox 4x40' },
  { sku: 'VIS-450', label: 'vis inox 4x50' },
  { sku: 'CHV-6', label: 'chevilles nylon 6x30' },
  { sku: 'CHV-8', label: 'chevilles nylon 8x40' },
  { sku: 'GAN-NIT', label: 'gants nitrile T9' },
];

export interface OrderMail {
  bytes: Buffer;
  messageId: string | null;
  poNumber: string;
  customerId: string;
}

/** Order n° `i` (deterministic), with or without Message-ID and JSON attachment. */
export function orderMail(i: number, opts: { messageId?: boolean; attachment?: boolean; date?: Date; tag?: string } = {}): OrderMail {
  const c = CUSTOMERS[i % CUSTOMERS.length]!;
  const po = `${c.prefix}-2611-${String(i + 1).padStart(4, '0')}${opts.tag ? `-${opts.tag}` : ''}`;
  const lines = [0, 1, 2].map((k) => ({ ...ITEMS[(i + k) % ITEMS.length]!, quantity: ((i * 7 + k * 3) % 40) + 1 }));
  const date = (opts.date ?? new Date(Date.UTC(2026, 10, 23, 7, 30) + i * 61_000)).toUTCString().replace('GMT', '+0000');
  const messageId = opts.messageId === false ? null : `${po.toLowerCase()}.${i}@${c.domain}`;
  const text = [
    'Bonjour,',
    '',
    'Merci de bien vouloir nous faire parvenir :',
    '',
    ...lines.map((l) => `- ${l.quantity} x ${l.sku} ${l.label}`),
    '',
    `Commande n° ${po}`,
    '',
    'Cordialement,',
    '',
    c.buyer,
    `Acheteur - ${c.name}`,
  ].join('\r\n');
  const head = [
    `From: ${c.buyer} <${c.buyer.split(' ')[0]!.toLowerCase()}@${c.domain}>`,
    'To: commandes@fixations-rhone-alpes.fr',
    `Subject: =?UTF-8?Q?Commande_n=C2=B0_${po}?=`,
    `Date: ${date}`,
    ...(messageId ? [`Message-ID: <${messageId}>`] : []),
    'MIME-Version: 1.0',
  ];
  let body: string;
  if (opts.attachment) {
    const boundary = `=_aiguillage_${i}`;
    const json = JSON.stringify({ customerId: c.id, poNumber: po, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) });
    head.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
    body = [
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      `--${boundary}`,
      `Content-Type: application/json; name="${po}.order.json"`,
      `Content-Disposition: attachment; filename="${po}.order.json"`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(json).toString('base64').replace(/.{76}/g, '$&\r\n'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  } else {
    head.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit');
    body = text + '\r\n';
  }
  return { bytes: Buffer.from(head.join('\r\n') + '\r\n\r\n' + body, 'utf8'), messageId, poNumber: po, customerId: c.id };
}
