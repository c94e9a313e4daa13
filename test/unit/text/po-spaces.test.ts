import { it, expect } from 'vitest';
import { findPoNumber, findOrderDate } from '../../../parsers/text/header';
it('po', () => {
  for (const [t, v] of [
    ['N° de commande : OPM 771245', 'OPM 771245'], ['Commande n° CDE 2026/0412\nDate : 24/11/2026', 'CDE 2026/0412'], ['Réf. commande : BS 2026 288', 'BS 2026 288'],
    ['Commande de 12 vis inox', null], ['BON DE COMMANDE\nCommande n° 4512-A', '4512-A'], ['PO 4500123 12 pièces', '4500123'], ['N° de commande : SM 2611-07', 'SM 2611-07'],
    ['Bon de commande n° 2026-5521', '2026-5521'], ['N° de commande :\n\nQuantité 12', null],
  ] as const) expect([t, findPoNumber(t)?.value ?? null]).toEqual([t, v]);
  expect(findOrderDate('Bonjour.\n\nDate de commande : 24/11/2026')).toBe('2026-11-24');
});
