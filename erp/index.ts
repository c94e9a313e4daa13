// The connector config/erp.yaml chooses, built once per process.
import type { Config } from '../worker/config';
import type { ErpConnector } from './connector';
import { inDataDir, loadErpConfig, type ErpConfig } from './config';
import { TrytonConnector } from './tryton/connector';
import { readFileSync } from 'node:fs';

export function createErpConnector(erp: ErpConfig, dataDir: string): ErpConnector | null {
  switch (erp.connector) {
    case 'none':
      return null;
    case 'tryton': {
      const passwordFile = inDataDir(dataDir, erp.tryton.passwordFile);
      return new TrytonConnector({ url: erp.tryton.url, database: erp.tryton.database, user: erp.tryton.user, password: () => readFileSync(passwordFile, 'utf8').trim() });
    }
    default:
      throw new Error(`the ${erp.connector} connector is not available yet`);
  }
}

/** From the worker's configuration (AIGUILLAGE_ERP / config/erp.yaml); throws InvalidErpConfig with file, line and field. */
export function erpConnectorFor(cfg: Pick<Config, 'erpFile' | 'dataDir'>): ErpConnector | null {
  return cfg.erpFile ? createErpConnector(loadErpConfig(cfg.erpFile), cfg.dataDir) : null;
}
