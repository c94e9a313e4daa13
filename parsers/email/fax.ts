// Fax-to-email gateways: the order is the attached TIFF/PDF, and the sender's fax number (written
// by the gateway in the subject or in body fields) is what identifies the customer.

export interface FaxGateway {
  style: 'hylafax' | 'efax' | 't37' | 'gateway';
  /** The calling fax number as the gateway wrote it, or null when it withheld it. */
  fax: string | null;
}

export interface GatewayInput {
  fromAddress: string;
  fromName: string;
  subject: string;
  text: string;
  /** A TIFF, PDF or image is attached: a plain "fax" word in a subject needs it to count. */
  hasFaxImage: boolean;
}

const NUMBER = String.raw`(\+?\d[\d\s().\/-]{4,22}\d)`;
// Blanks before the label stay on its line: a `^\s*` under the m flag ran over every following
// newline from every line start (the regexp lint cannot see through a built pattern).
const field = (labels: string) => new RegExp(`^[^\\S\\r\\n\\u2028\\u2029]*(?:${labels})\\s*:\\s*"?${NUMBER}"?\\s*$`, 'im');

const HYLAFAX_CALLID = field('CallID1|Caller\\s*ID|CIDNumber');
const HYLAFAX_SENDER = field('Sender|TSI');
const EFAX_SUBJECT = new RegExp(`efax\\s+message\\s+from\\s+"?${NUMBER}"?`, 'i');
const EFAX_CALLER = new RegExp(`caller[- ]?id\\s*(?::\\s*)?${NUMBER}`, 'i');
const SUBJECT_FAX = new RegExp(`(?:fax|facsimile|t[ée]l[ée]copie)\\s+(?:re[çc]ue?\\s+|received\\s+|message\\s+)?(?:de|du|from|depuis)\\s*(?::\\s*)?"?${NUMBER}`, 'i');
const BODY_FIELDS = field("Num[ée]ro\\s+(?:de\\s+l['’]exp[ée]diteur|appelant|de\\s+fax\\s+(?:de\\s+l['’])?exp[ée]diteur)|Exp[ée]diteur|Fax\\s+(?:de\\s+l['’])?exp[ée]diteur|N[°o]\\s+(?:de\\s+)?fax|From\\s+fax|Fax\\s+from|Remote\\s+(?:ID|CSID|station)|CSID|Station\\s+ID|Appelant|Calling\\s+(?:number|party)|Sender\\s+fax");
const T37_FROM = /^fax=(\+?\d{6,20})@/i;

function digits(n: string | undefined): string | null {
  if (!n) return null;
  const t = n.trim().replace(/\s+/g, ' ');
  return t.replace(/\D/g, '').length >= 6 ? t : null;
}

/** Recognise a gateway message and read the caller's fax number; null for an ordinary email. */
export function detectFaxGateway(m: GatewayInput): FaxGateway | null {
  const { fromAddress, fromName, subject, text } = m;
  if (/CallID1\s*:|faxrcvd|recvq\/fax\d+|hylafax/i.test(text) || /^facsimile received from/i.test(subject) || /hylafax|faxmaster/i.test(fromAddress + fromName)) {
    const fax = digits(HYLAFAX_CALLID.exec(text)?.[1]) ?? digits(HYLAFAX_SENDER.exec(text)?.[1]) ?? digits(/facsimile received from\s+"?([^"\n]+)/i.exec(subject)?.[1]);
    return { style: 'hylafax', fax };
  }
  if (/efax/i.test(fromAddress + fromName) || /^efax message from/i.test(subject)) {
    const fax = digits(EFAX_CALLER.exec(subject)?.[1]) ?? digits(EFAX_SUBJECT.exec(subject)?.[1]) ?? digits(EFAX_CALLER.exec(text)?.[1]);
    return { style: 'efax', fax };
  }
  const t37 = T37_FROM.exec(fromAddress);
  if (t37) return { style: 't37', fax: t37[1] ?? null };
  const bySubject = SUBJECT_FAX.exec(subject);
  const byBody = BODY_FIELDS.exec(text);
  if ((bySubject || byBody) && m.hasFaxImage) return { style: 'gateway', fax: digits(byBody?.[1]) ?? digits(bySubject?.[1]) };
  return null;
}
