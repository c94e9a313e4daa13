import { describe, expect, it } from 'vitest';
import { loadMasterData } from '../../../storage/masterdata-source';
import { checkLine, cleanNumberCell, correctQuantity, fixDigits, ocrDistance, referenceCandidates, REVIEW_THRESHOLD, snapPhone, snapReference } from '../../../parsers/ocr/snap';

const md = loadMasterData('fixtures/masterdata');
const ours = referenceCandidates(md, null).filter((c) => c.kind === 'sku');

describe('ocrDistance', () => {
  it('charges OCR confusions a quarter of a real difference', () => {
    expect(ocrDistance('VIS-440', 'VIS-440')).toBe(0);
    expect(ocrDistance('VIS-44O', 'VIS-440')).toBe(0.25);
    expect(ocrDistance('VlS-44O', 'VIS-440')).toBe(0.5);
    expect(ocrDistance('CHV-B', 'CHV-8')).toBe(0.25);
    expect(ocrDistance('VIS-540', 'VIS-440')).toBe(1);
  });
  it('knows that rn reads as m and that hyphens come and go', () => {
    expect(ocrDistance('CHV-rnET8', 'CHV-MET8')).toBe(0.25);
    expect(ocrDistance('VIS440', 'VIS-440')).toBeCloseTo(0.3);
  });
  it('charges a letter read twice half a difference', () => {
    expect(ocrDistance('Vv1S-8100', 'VIS-8100')).toBe(0.75);
    expect(ocrDistance('NIiV-60', 'NIV-60')).toBe(0.5);
    // A real extra letter still costs one.
    expect(ocrDistance('NIAV-60', 'NIV-60')).toBe(1);
  });
});

describe('snapReference', () => {
  it('keeps an exact reading, confirmed by the catalog', () => {
    const s = snapReference('VIS-440', 0.8, ours);
    expect(s).toMatchObject({ value: 'VIS-440', doubt: null });
    expect(s.confidence).toBeGreaterThanOrEqual(0.9);
  });
  it('snaps a confused reading and says so', () => {
    const s = snapReference('VlS-44O', 0.6, ours);
    expect(s.value).toBe('VIS-440');
    expect(s.doubt).toBe('SKU read as VlS-44O, snapped to VIS-440');
    expect(s.confidence).toBeLessThan(0.9);
    expect(s.confidence).toBeGreaterThanOrEqual(REVIEW_THRESHOLD);
  });
  it('refuses to choose between two equally close entries', () => {
    // "VIS-4?0": VIS-440 and VIS-450 are both one real difference away.
    const s = snapReference('VIS-4X0', 0.9, ours);
    expect(s.value).toBeNull();
    expect(s.doubt).toMatch(/could be VIS-440 or VIS-450|could be VIS-450 or VIS-440/);
    expect(s.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('does not snap a short reference across a real difference', () => {
    // CHV-6 vs CHV-8 differ by one real digit: too much for a 5-character code.
    const s = snapReference('CHV-7', 0.95, ours);
    expect(s.value).toBeNull();
    expect(s.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('snaps a code with a fax\'s specks inside it ("CHA:+S3"), below review', () => {
    const s = snapReference('CHA:+S3', 0.48, ours);
    expect(s.value).toBe('CHA-S3');
    expect(s.confidence).toBeLessThan(REVIEW_THRESHOLD);
    // A speck does not make a real difference cheap: "CHV:7" is still neither CHV-6 nor CHV-8.
    expect(snapReference('CHV:7', 0.95, ours).value).toBeNull();
  });
  it('leaves a word that is no reference unsnapped', () => {
    expect(snapReference('Merci', 0.9, ours).value).toBeNull();
  });
  it('snaps customer part numbers of the identified customer to our SKU', () => {
    const s = snapReference('BCR-1OO234', 0.7, referenceCandidates(md, 'C002'));
    expect(s.value).toBe('VIS-440');
    expect(s.candidate).toMatchObject({ kind: 'customerPart', value: 'BCR-100234' });
    expect(s.doubt).toBe('customer reference read as BCR-1OO234, snapped to BCR-100234 (VIS-440)');
  });
});

describe('fixDigits', () => {
  it('turns letters beside digits into the digits they look like', () => {
    expect(fixDigits('3O')).toEqual({ text: '30', changed: true });
    expect(fixDigits('l2')).toEqual({ text: '12', changed: true });
    expect(fixDigits('18,9O')).toEqual({ text: '18,90', changed: true });
  });
  it('leaves unit words alone', () => {
    expect(fixDigits('12 BTE')).toEqual({ text: '12 BTE', changed: false });
  });
});

describe('checkLine', () => {
  const base = { quantityConfidence: 0.6, priceConfidence: 0.6, listPrice: 7.2 };
  it('takes a quantity OCR barely believed ("7" at 0.14) as unread: amount / price gives it, flagged with that evidence', () => {
    const faint = { quantity: 7, unitPrice: 60.8, amount: 121.6, quantityConfidence: 0.14, priceConfidence: 0.96, amountConfidence: 0.95, listPrice: null, quantityText: '7' };
    const c = checkLine(faint);
    expect(c.quantity.value).toBe(2);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(c.quantity.doubt).toBe('quantity read as "7" with OCR confidence 0.14, amount 121,6 / unit price 60,8 gives 2: taken, unconfirmed');
    // Read with some confidence, it is only contradicted, not replaced; nor by a faint amount.
    expect(checkLine({ ...faint, quantityConfidence: 0.5 }).quantity.value).toBe(7);
    expect(checkLine({ ...faint, amountConfidence: 0.5 }).quantity.value).toBe(7);
  });
  it('confirms a quantity that the amount agrees with', () => {
    const c = checkLine({ ...base, quantity: 30, unitPrice: 7.2, amount: 216 });
    expect(c.amountAgrees).toBe(true);
    expect(c.quantity).toEqual({ value: 30, confidence: 0.97, doubt: null });
  });
  it('corrects one confusable digit when only that makes the amount hold, and says so', () => {
    const c = checkLine({ ...base, quantity: 38, unitPrice: 7.2, amount: 216 });
    expect(c.quantity.value).toBe(30);
    expect(c.quantity.doubt).toBe('quantity read as 38, but amount 216 / unit price 7,2 gives 30: corrected (the list price agrees)');
    // Amount and list price both vouch for it: just above review, never as sure as a clean read.
    expect(c.quantity.confidence).toBe(0.72);
  });
  it('keeps a correction only the amount vouches for below the review threshold', () => {
    const c = checkLine({ ...base, listPrice: 8, quantity: 66, unitPrice: 6.5, amount: 390 });
    expect(c.quantity.value).toBe(60);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(c.quantity.doubt).toBe('quantity read as 66, but amount 390 / unit price 6,5 gives 60: corrected');
  });
  it('never takes a fractional misread as agreeing within rounding: "13,006" × 7,2 is not 93,60', () => {
    const c = checkLine({ ...base, quantity: 13.006, unitPrice: 7.2, amount: 93.6, quantityText: '13,006' });
    expect(c.amountAgrees).toBe(false);
    expect(c.quantity.value).toBe(13);
    expect(c.quantity.confidence).toBe(0.72);
  });
  it('corrects a misread decimal tail on a faint amount when price and amount agree to the cent, still under review', () => {
    // "118,000" read as "118,606"; 118 × 3,74 = 441,32 exactly, though OCR barely believed the amount.
    const c = checkLine({ ...base, listPrice: null, quantity: 118.606, unitPrice: 3.74, amount: 441.32, amountConfidence: 0.5, quantityText: '118,606' });
    expect(c.quantity.value).toBe(118);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
    // A whole quantity misread the same way is not corrected on a faint amount alone.
    expect(checkLine({ ...base, listPrice: null, quantity: 128, unitPrice: 3.74, amount: 441.32, amountConfidence: 0.5 }).quantity.value).toBe(128);
  });
  it('shifts a quantity whose decimal separator was read as a thousands one, when the amount says so', () => {
    // "2.200,000" read as "2,200,000": 2200 × 14,67 = 32 274,00.
    const c = checkLine({ ...base, listPrice: null, quantity: 2_200_000, unitPrice: 14.67, amount: 32_274, quantityText: '2,200,000' });
    expect(c.quantity.value).toBe(2200);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('accepts a true fractional quantity that agrees to the cent', () => {
    const c = checkLine({ ...base, listPrice: 4.2, quantity: 2.5, unitPrice: 4.2, amount: 10.5 });
    expect(c.amountAgrees).toBe(true);
    expect(c.quantity).toEqual({ value: 2.5, confidence: 0.97, doubt: null });
  });
  it('tries the list price when the read price is garbled too, and corrects both', () => {
    // "18,000" read as "18,08", "64,00" read as "64,6": 18 × 64,00 = 1152,00.
    const c = checkLine({ ...base, listPrice: 64, quantity: 18.08, unitPrice: 64.6, amount: 1152, quantityText: '18,08', priceText: '64,6' });
    expect(c.quantity.value).toBe(18);
    expect(c.unitPrice.value).toBe(64);
    expect(c.quantity.doubt).toContain('amount 1152 / list price 64 gives 18: corrected');
  });
  it('flags rather than corrects a faint amount without a list price to back it', () => {
    const c = checkLine({ ...base, listPrice: null, quantity: 38, unitPrice: 7.2, amount: 216, amountConfidence: 0.5 });
    expect(c.quantity.value).toBe(38);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('flags a quantity that contradicts the amount when no single digit explains it', () => {
    const c = checkLine({ ...base, quantity: 12, unitPrice: 7.2, amount: 216 });
    expect(c.quantity.value).toBe(12);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
    expect(c.quantity.doubt).toMatch(/quantity 12 × unit price 7,2 ≠ amount 216 \(the amount suggests 30\)/);
  });
  it('flags a unit price far from the list price', () => {
    const c = checkLine({ ...base, quantity: 3, unitPrice: 72, amount: 216 });
    expect(c.unitPrice.doubt).toBe('unit price 72 is far from the list price 7,2');
    expect(c.unitPrice.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('restores a decimal comma the fax lost, from amount / quantity', () => {
    const c = checkLine({ ...base, listPrice: 8.7, quantity: 24, unitPrice: 870, amount: 208.8, priceText: '870' });
    expect(c.unitPrice).toEqual({ value: 8.7, confidence: 0.8, doubt: 'unit price read as "870", amount / quantity gives 8,7: corrected (the list price)' });
    expect(c.quantity.value).toBe(24);
    expect(c.amountAgrees).toBe(true);
  });
  it('does not correct a price to amount / quantity without a second witness', () => {
    const c = checkLine({ ...base, listPrice: 30, quantity: 12, unitPrice: 18.56, amount: 226.8, priceText: '18,56' });
    expect(c.unitPrice.value).toBe(18.56);
    expect(c.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('takes an unreadable quantity from amount / unit price, sure only when its digits were seen', () => {
    const seen = checkLine({ ...base, quantity: null, unitPrice: 4.9, amount: 122.5, quantityText: '5! 25' });
    expect(seen.quantity).toEqual({ value: 25, confidence: 0.8, doubt: 'quantity unreadable ("5! 25"), taken as amount / unit price = 25' });
    const unseen = checkLine({ ...base, quantity: null, unitPrice: 24.5, amount: 220.5, quantityText: 'Le)' });
    expect(unseen.quantity.value).toBe(9);
    expect(unseen.quantity.confidence).toBeLessThan(REVIEW_THRESHOLD);
  });
  it('flags a faint quantity that nothing can confirm', () => {
    const c = checkLine({ ...base, quantity: 5, unitPrice: null, amount: null });
    expect(c.quantity.confidence).toBe(0.6);
    expect(c.quantity.doubt).toMatch(/low confidence/);
  });
});

describe('snapPhone', () => {
  it('recognises a customer fax number, and one with a single misread digit', () => {
    expect(snapPhone('+33 4 78 12 34 57', md)).toMatchObject({ value: '+33 4 78 12 34 57', doubt: null });
    // One digit from both the phone (…56) and the fax (…57) of the same customer: kept as read.
    expect(snapPhone('+33 4 78 12 34 5B', md).value).toBe('+33 4 78 12 34 5B');
    const off = snapPhone('+33 4 78 12 39 57', md);
    expect(off.value).toBe('+33 4 78 12 34 57');
    expect(off.doubt).toBe('fax number read as +33 4 78 12 39 57, taken as +33 4 78 12 34 57');
  });
});

describe('correctQuantity', () => {
  it('finds the one integer an OCR misreading explains, exact to the cent', () => {
    expect(correctQuantity(16.606, 2.72, 27.2, 2.72)).toEqual({ quantity: 10, price: 2.72, listed: true });
    expect(correctQuantity(585.6, 1.1, 643.5, null)).toEqual({ quantity: 585, price: 1.1, listed: false });
    expect(correctQuantity(401, 2, 80, null)).toEqual({ quantity: 40, price: 2, listed: false });
  });
  it('gives up when nothing, or more than one candidate, fits', () => {
    // 12 × 7,20 = 86,40: no misreading of 31 gives 12.
    expect(correctQuantity(31, 7.2, 86.4, 7.2)).toBeNull();
    // A fraction whose integer part is unrelated to amount / price.
    expect(correctQuantity(3.1, 36.57, 113367, null)).toBeNull();
    // Not whole: 10 × 2,72 = 27,20, but 27,21 is no product of a whole quantity.
    expect(correctQuantity(16.606, 2.72, 27.21, 2.72)).toBeNull();
  });
});

describe('cleanNumberCell', () => {
  it('joins the gap a monospace comma leaves, and nothing else', () => {
    expect(cleanNumberCell('345, 60').text).toBe('345,60');
    // A monospace fax zero read as a copyright sign, before the wide comma's gap.
    expect(cleanNumberCell('©, 600')).toEqual({ text: '0,600', changed: true });
    // A Swiss thousands apostrophe read as a degree sign or a curly quote.
    expect(cleanNumberCell('2°700')).toEqual({ text: "2'700", changed: true });
    expect(cleanNumberCell('41’580.00').text).toBe("41'580.00");
    expect(cleanNumberCell('12°5').text).toBe('12°5');
    expect(cleanNumberCell('345 ,60').text).toBe('345,60');
    expect(cleanNumberCell('1 234,50')).toEqual({ text: '1 234,50', changed: false });
    expect(cleanNumberCell('36, 570').text).toBe('36,570');
  });
});
