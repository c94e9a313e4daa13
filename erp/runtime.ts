// The ERP as the stack runs it: config/erp.yaml read (and checked) once at start-up, and the demo
// Tryton started with the stack when the file says `managed: true`.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../worker/config';
import { loadErpConfig, type ErpConfig } from './config';
import { initTrytonDatabase, startTrytond, trytonInstalled, trytonVenv, type RunningTryton } from './tryton/server';

export interface StackErp {
  config: ErpConfig | null;
  /** The demo Tryton this process started; null when none (not managed, or not installed). */
  tryton: RunningTryton | null;
  /** One line for the start banner. */
  banner: string;
  /** False: the connector must not be used (its managed ERP could not start). */
  usable: boolean;
}

export async function startStackErp(cfg: Config, log: Logger): Promise<StackErp> {
  if (!cfg.erpFile) return { config: null, tryton: null, banner: 'none: manual entry only (make config/erp.yaml from config/erp.example.yaml, or set AIGUILLAGE_ERP)', usable: false };
  const config = loadErpConfig(cfg.erpFile); // InvalidErpConfig: the stack does not start, file:line: field says why
  if (config.connector !== 'tryton') return { config, tryton: null, banner: `${config.connector} connector (${cfg.erpFile})`, usable: config.connector !== 'none' };
  if (!config.tryton.managed) return { config, tryton: null, banner: `Tryton at ${config.tryton.url} (database ${config.tryton.database})`, usable: true };

  const venv = trytonVenv(cfg.root);
  if (!trytonInstalled(venv)) {
    const why = `Tryton is not installed in ${venv}: run npm run setup (bash scripts/tryton/setup.sh). Until then "Créer dans l'ERP" answers that no ERP is connected.`;
    console.error(`› ${why}`);
    log.warn({ venv }, 'Tryton not installed: no ERP connector');
    return { config, tryton: null, banner: `none — ${why}`, usable: false };
  }
  const dir = join(cfg.dataDir, 'tryton');
  const database = config.tryton.database;
  console.error(`› Tryton demo database in ${dir} (made from ${cfg.masterDataDir} on the first start: a few minutes)`);
  await initTrytonDatabase({ root: cfg.root, venv, dir, masterDataDir: cfg.masterDataDir, database });
  const port = Number(new URL(config.tryton.url).port || 8000);
  console.error(`› starting Tryton (trytond) on 127.0.0.1:${port}`);
  const tryton = await startTrytond({ venv, dir, port, database, log: (line) => log.debug({ trytond: line.trim() }, 'trytond') });
  const password = join(dir, 'admin.password');
  return { config, tryton, banner: `Tryton ${tryton.url}/ (database ${database}, user admin, password in ${password})`, usable: true };
}
