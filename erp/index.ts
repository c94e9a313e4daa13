// The connector config/erp.yaml chooses, built once per process.
import type { Config } from '../worker/config';
import type { ErpConnector } from './connector';
import { inDataDir, loadErpConfig, type ErpConfig } from './config';
import { TrytonConnector } from './tryton/connector';
import { FileConnector } from './files/connector';
import { readFileSync } from 'node:fs';

export function createErpConnector(erp: ErpConfig, dataDir: string): ErpConnector | null {
  switch (erp.connector) {
    case 'none':
      return null;
    case 'tryton': {
      const passwordFile = inDataDir(dataDir, erp.tryton.passwordFile);
      return new TrytonConnector({ url: erp.tryton.url, database: erp.tryton.database, user: erp.tryton.user, password: () => readFileSync(passwordFile, 'utf8').trim() });
    }
    case 'idoc':
      return new FileConnector({ kind: 'idoc', outbox: inDataDir(dataDir, erp.outbox), idoc: { sender: erp.sender, receiver: erp.receiver } });
    case 'json':
      return new FileConnector({ kind: 'json', outbox: inDataDir(dataDir, erp.outbox) });
    case 'webhook': {
      const env = erp.webhook.secretEnv;
      if (!process.env[env]) throw new Error(`config/erp.yaml: webhook.secretEnv names ${env}, which is not set: the webhook cannot be signed`);
      return new FileConnector({ kind: 'webhook', outbox: inDataDir(dataDir, erp.outbox), webhook: { url: erp.webhook.url, secret: () => process.env[env] ?? '' } });
    }
  }
}

/** From the worker's configuration (AIGUILLAGE_ERP / config/erp.yaml); throws InvalidErpConfig with file, line and field. */
export function erpConnectorFor(cfg: Pick<Config, 'erpFile' | 'dataDir'>): ErpConnector | null {
  return cfg.erpFile ? createErpConnector(loadErpConfig(cfg.erpFile), cfg.dataDir) : null;
}
