// Test harness for the real Tryton: installed by scripts/tryton/setup.sh (a failure is the test's
// failure, with the installer's message), the demo database made once per content of its inputs
// (init script, demo data, master data) into a template folder, copied per test, and trytond started
// on a free loopback port.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../worker/config';
import { adminPassword, copyTrytonDatabase, ensureTrytonInstalled, freePort, initTrytonDatabase, startTrytond, type RunningTryton } from '../../erp/tryton/server';
import { TrytonConnector } from '../../erp/tryton/connector';

const MASTERDATA = join(ROOT, 'fixtures', 'masterdata');

function templateKey(): string {
  const h = createHash('sha256');
  for (const dir of [join(ROOT, 'scripts', 'tryton'), MASTERDATA]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.py') || n.endsWith('.csv')).sort()) h.update(f).update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

let template: Promise<{ venv: string; dir: string }> | null = null;
/** The demo database, made once (minutes of CPU) and kept in the temp folder while its inputs are unchanged. */
export function trytonTemplate(): Promise<{ venv: string; dir: string }> {
  template ??= (async () => {
    const venv = await ensureTrytonInstalled(ROOT);
    const dir = join(tmpdir(), `aiguillage-tryton-template-${templateKey()}`);
    if (!existsSync(join(dir, 'aiguillage.ready'))) {
      const building = mkdtempSync(`${dir}.building-`);
      await initTrytonDatabase({ root: ROOT, venv, dir: building, masterDataDir: MASTERDATA });
      rmSync(dir, { recursive: true, force: true });
      renameSync(building, dir);
    }
    return { venv, dir };
  })();
  return template;
}

export interface TestTryton {
  tryton: RunningTryton;
  connector: TrytonConnector;
  password: string;
  stop(): Promise<void>;
}

/** A Tryton of its own for a test: a copy of the template database, on a free port. */
export async function startTestTryton(): Promise<TestTryton> {
  const { venv, dir: from } = await trytonTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'aiguillage-tryton-'));
  copyTrytonDatabase(from, dir);
  const tryton = await startTrytond({ venv, dir, port: await freePort() });
  const password = adminPassword(dir);
  const connector = new TrytonConnector({ url: tryton.url, database: tryton.database, user: 'admin', password: () => password });
  return { tryton, connector, password, async stop() { await tryton.stop(); rmSync(dir, { recursive: true, force: true }); } };
}
