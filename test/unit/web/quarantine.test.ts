// The quarantine on the dashboard: a failed intake's reason in French beside its code and message,
// the retries made, and the "Relancer" button for managers only (a team lead sees the list).
import { describe, expect, it } from 'vitest';
import { dashboard } from '../../../web/model';
import { dashboardPage } from '../../../web/pages';
import type { User } from '../../../web/auth';
import type { QuarantineRecord } from '../../../storage/document-store';

const NOW = Date.parse('2026-11-25T08:30:00Z');
const claire: User = { login: 'claire', name: 'Claire', role: 'manager', teams: [], passwordHash: '' };
const isabelle: User = { login: 'isabelle', name: 'Isabelle', role: 'lead', teams: ['sud-est'], passwordHash: '' };
const failed: QuarantineRecord = {
  sha256: 'c'.repeat(64),
  fileName: 'scan-0712.pdf',
  channel: 'scan',
  receivedAt: '2026-11-25T07:12:00Z',
  quarantinedAt: '2026-11-25T07:40:00Z',
  problems: [{ code: 'EXTRACTION_FAILED', message: 'the document could not be read after its retries: ENOSPC: no space left on device', severity: 'error', where: null }],
  retries: [{ at: '2026-11-25T08:00:00Z', by: 'claire' }],
};

describe('the quarantine on the dashboard', () => {
  it('says why in French and offers Relancer to a manager', () => {
    const page = dashboardPage(claire, 'tok', dashboard([], [failed], claire, NOW), NOW);
    expect(page).toContain('Lecture impossible après plusieurs essais');
    expect(page).toContain('EXTRACTION_FAILED');
    expect(page).toContain('ENOSPC: no space left on device');
    expect(page).toContain('Relancé 1 fois');
    expect(page).toContain(`action="/quarantine/${'c'.repeat(64)}/retry"`);
    expect(page).toMatch(/name="_csrf" value="tok"[^>]*><button type="submit"[^>]*>Relancer</);
  });

  it('gives no Relancer button to a team lead', () => {
    const page = dashboardPage(isabelle, 'tok', dashboard([], [failed], isabelle, NOW), NOW);
    expect(page).not.toContain('/retry"');
  });

  it('shows a refusal as a flash message', () => {
    const page = dashboardPage(claire, 'tok', dashboard([], [failed], claire, NOW), NOW, undefined, { kind: 'err', text: 'Relance refusée : une lecture de ce document est déjà en cours.' });
    expect(page).toContain('class="flash err"');
    expect(page).toContain('Relance refusée');
  });
});
