// The demo accounts of config/users.example.yaml, printed by `npm start` so that a first visitor can
// sign in. A unit test checks each password against the example file, so the two never drift apart.
import type { Role } from './auth';

export const SAMPLE_USERS: { login: string; password: string; role: Role; teams: string[] }[] = [
  { login: 'lea', password: 'lea-demo-2026', role: 'agent', teams: ['sud-est'] },
  { login: 'karim', password: 'karim-demo-2026', role: 'agent', teams: ['sud-est'] },
  { login: 'julien', password: 'julien-demo-2026', role: 'agent', teams: ['nord-est'] },
  { login: 'camille', password: 'camille-demo-2026', role: 'agent', teams: ['grands-comptes-edi'] },
  { login: 'isabelle', password: 'isabelle-demo-2026', role: 'lead', teams: ['sud-est'] },
  { login: 'claire', password: 'claire-demo-2026', role: 'manager', teams: [] },
  { login: 'admin', password: 'admin-demo-2026', role: 'admin', teams: [] },
];

export function sampleSignInText(baseUrl: string): string {
  const rows = SAMPLE_USERS.map((u) => `    ${u.login.padEnd(9)} ${u.password.padEnd(19)} ${u.role}${u.teams.length ? ` (${u.teams.join(', ')})` : ''}`);
  return [`  Sign in at ${baseUrl}/login with a demo account (config/users.example.yaml):`, ...rows].join('\n');
}
