// Connections to Temporal: the local dev server by default, a cluster or Temporal Cloud when configured.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

function tlsOptions(cfg: Config) {
  if (!cfg.temporalTls) return cfg.temporalApiKey ? true : undefined;
  const { certPath, keyPath, serverName } = cfg.temporalTls;
  return {
    serverNameOverride: serverName,
    clientCertPair: certPath && keyPath ? { crt: readFileSync(certPath), key: readFileSync(keyPath) } : undefined,
  };
}

export async function connectClient(cfg: Config): Promise<Client> {
  const connection = await Connection.connect({ address: cfg.temporalAddress, tls: tlsOptions(cfg), apiKey: cfg.temporalApiKey ?? undefined });
  return new Client({ connection, namespace: cfg.namespace });
}

export async function connectWorker(cfg: Config): Promise<NativeConnection> {
  return NativeConnection.connect({ address: cfg.temporalAddress, tls: tlsOptions(cfg), apiKey: cfg.temporalApiKey ?? undefined });
}

export function temporalUiUrl(cfg: Config, workflowId?: string): string {
  const base = `http://127.0.0.1:${cfg.temporalUiPort}/namespaces/${cfg.namespace}/workflows`;
  return workflowId ? `${base}/${encodeURIComponent(workflowId)}` : base;
}
