// `aiguillage masterdata pull`: the CLI side of erp/masterdata.ts.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../worker/config';
import { inDataDir, InvalidErpConfig, loadErpConfig } from './config';
import { TrytonClient } from './tryton/client';
import { pullMasterData } from './masterdata';

export function registerErpCommands(program: Command): void {
  const md = program.command('masterdata').description('master data (customers, addresses, products) from the ERP');
  md.command('pull')
    .description("write company.csv, customers.csv, addresses.csv and products.csv from the ERP (Tryton of config/erp.yaml); columns the ERP does not hold keep our values")
    .option('--out <dir>', 'master data folder to write (default: AIGUILLAGE_MASTERDATA, else fixtures/masterdata)')
    .option('--erp <file>', 'ERP configuration (default: AIGUILLAGE_ERP, else config/erp.yaml, else config/erp.example.yaml)')
    .action(async (opts: { out?: string; erp?: string }) => {
      const cfg = loadConfig();
      const file = opts.erp ? resolve(opts.erp) : cfg.erpFile;
      if (!file) throw new Error('no ERP configured (AIGUILLAGE_ERP is empty): nothing to pull from');
      let erp;
      try {
        erp = loadErpConfig(file);
      } catch (e) {
        if (e instanceof InvalidErpConfig) {
          console.error(e.message);
          process.exitCode = 2;
          return;
        }
        throw e;
      }
      if (erp.connector !== 'tryton') throw new Error(`${file}: the ${erp.connector} connector only writes orders; master data can be pulled from Tryton only`);
      const passwordFile = inDataDir(cfg.dataDir, erp.tryton.passwordFile);
      const client = new TrytonClient({ url: erp.tryton.url, database: erp.tryton.database, user: erp.tryton.user, password: () => readFileSync(passwordFile, 'utf8').trim() });
      const out = resolve(opts.out ?? cfg.masterDataDir);
      const r = await pullMasterData(client, out);
      for (const f of r.files) console.log(`${f.file.padEnd(16)} ${String(f.rows).padStart(5)} rows  ← Tryton ${erp.tryton.url} (${erp.tryton.database})`);
      console.log(`written to ${out}`);
    });
}
