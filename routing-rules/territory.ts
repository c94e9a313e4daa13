// French territory from a ship-to: postal code → département (Corsica 2A/2B, overseas 97x) → region.
// Pure data and functions; the routing engine and the rule validator share them.

export interface Region {
  /** INSEE region code ("84"). */
  code: string;
  name: string;
  departements: string[];
  /** The usual abbreviations (ISO 3166-2:FR codes without "FR-", and common variants): ARA, IDF, PACA… */
  abbreviations: string[];
}

export const REGIONS: readonly Region[] = [
  { code: '84', name: 'Auvergne-Rhône-Alpes', departements: ['01', '03', '07', '15', '26', '38', '42', '43', '63', '69', '73', '74'], abbreviations: ['ARA'] },
  { code: '27', name: 'Bourgogne-Franche-Comté', departements: ['21', '25', '39', '58', '70', '71', '89', '90'], abbreviations: ['BFC'] },
  { code: '53', name: 'Bretagne', departements: ['22', '29', '35', '56'], abbreviations: ['BRE'] },
  { code: '24', name: 'Centre-Val de Loire', departements: ['18', '28', '36', '37', '41', '45'], abbreviations: ['CVL'] },
  { code: '94', name: 'Corse', departements: ['2A', '2B'], abbreviations: ['COR'] },
  { code: '44', name: 'Grand Est', departements: ['08', '10', '51', '52', '54', '55', '57', '67', '68', '88'], abbreviations: ['GES'] },
  { code: '32', name: 'Hauts-de-France', departements: ['02', '59', '60', '62', '80'], abbreviations: ['HDF'] },
  { code: '11', name: 'Île-de-France', departements: ['75', '77', '78', '91', '92', '93', '94', '95'], abbreviations: ['IDF'] },
  { code: '28', name: 'Normandie', departements: ['14', '27', '50', '61', '76'], abbreviations: ['NOR'] },
  { code: '75', name: 'Nouvelle-Aquitaine', departements: ['16', '17', '19', '23', '24', '33', '40', '47', '64', '79', '86', '87'], abbreviations: ['NAQ'] },
  { code: '76', name: 'Occitanie', departements: ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'], abbreviations: ['OCC'] },
  { code: '52', name: 'Pays de la Loire', departements: ['44', '49', '53', '72', '85'], abbreviations: ['PDL'] },
  { code: '93', name: "Provence-Alpes-Côte d'Azur", departements: ['04', '05', '06', '13', '83', '84'], abbreviations: ['PAC', 'PACA'] },
  { code: '01', name: 'Guadeloupe', departements: ['971'], abbreviations: ['GP', 'GUA', 'GLP'] },
  { code: '02', name: 'Martinique', departements: ['972'], abbreviations: ['MQ', 'MTQ'] },
  { code: '03', name: 'Guyane', departements: ['973'], abbreviations: ['GF', 'GUF'] },
  { code: '04', name: 'La Réunion', departements: ['974'], abbreviations: ['RE', 'REU', 'LRE'] },
  { code: '06', name: 'Mayotte', departements: ['976'], abbreviations: ['YT', 'MYT', 'MAY'] },
];

const regionOfDepartement = new Map<string, Region>();
for (const r of REGIONS) for (const d of r.departements) regionOfDepartement.set(d, r);

/** Every département code that exists (01…95 without 20, 2A, 2B, 971…976 without 975). */
export const DEPARTEMENTS: ReadonlySet<string> = new Set(regionOfDepartement.keys());

/**
 * A region by name ("Auvergne-Rhône-Alpes", accents and case ignored), INSEE code ("84", "1" for 01),
 * usual abbreviation ("ARA", "PACA", "FR-IDF") or, overseas, its one département ("971").
 */
export function findRegion(nameOrCode: string): Region | undefined {
  const raw = nameOrCode.trim();
  const k = fold(raw);
  const code = /^\d$/.test(raw) ? `0${raw}` : raw;
  const abbr = raw.toUpperCase().replace(/^FR-/, '');
  return REGIONS.find((r) => r.code === code || fold(r.name) === k || r.abbreviations.includes(abbr) || (r.departements.length === 1 && r.departements[0] === raw));
}

/**
 * Département of a French postal code, or null when the code does not give one (not 5 digits,
 * Monaco's 98000, Pacific territories 98x, Saint-Pierre-et-Miquelon 975).
 */
export function departementOf(postalCode: string | null | undefined): string | null {
  const pc = (postalCode ?? '').replace(/\s/g, '');
  if (!/^\d{5}$/.test(pc)) return null;
  if (pc.startsWith('20')) return pc[2] === '0' || pc[2] === '1' ? '2A' : '2B'; // 200xx–201xx Corse-du-Sud
  if (pc.startsWith('97')) {
    const d = pc.slice(0, 3);
    return DEPARTEMENTS.has(d) ? d : null;
  }
  const d = pc.slice(0, 2);
  return DEPARTEMENTS.has(d) ? d : null;
}

export function regionOf(departement: string | null): Region | null {
  return departement ? (regionOfDepartement.get(departement) ?? null) : null;
}

/** Normalises a département as written in a rule: 6 → 06, "2a" → 2A; null when it is none. */
export function normaliseDepartement(raw: string | number): string | null {
  let s = String(raw).trim().toUpperCase();
  if (/^\d$/.test(s)) s = `0${s}`;
  return DEPARTEMENTS.has(s) ? s : null;
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
