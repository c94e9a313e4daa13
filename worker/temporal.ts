// Connections to Temporal: the local dev server by default, a cluster or Temporal Cloud when configured.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';
import { clientInterceptors } from './telemetry';

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
  return new Client({ connection, namespace: cfg.namespace, interceptors: clientInterceptors() });
}

export async function connectWorker(cfg: Config): Promise<NativeConnection> {
  return NativeConnection.connect({ address: cfg.temporalAddress, tls: tlsOptions(cfg), apiKey: cfg.temporalApiKey ?? undefined });
}

export function temporalUiUrl(cfg: Config, workflowId?: string): string {
  const base = `http://127.0.0.1:${cfg.temporalUiPort}/namespaces/${cfg.namespace}/workflows`;
  return workflowId ? `${base}/${encodeURIComponent(workflowId)}` : base;
}

/** Temporal answers within the deadline (a cheap call); the reason otherwise. */
export async function temporalReachable(client: Client, timeoutMs = 2000): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.connection.workflowService.getSystemInfo({}));
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.slice(0, 200) };
  }
}

/** A failed call to Temporal that means it cannot be reached (gRPC UNAVAILABLE or past its deadline), not a refusal. */
export function isUnreachable(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (code === 14 || code === 4) return true;
    if (c instanceof Error && /^(14|4) (UNAVAILABLE|DEADLINE_EXCEEDED)/.test(c.message)) return true;
  }
  return false;
}

/** Temporal could not be reached: the user is told so in plain words, with the address. */
export class TemporalUnreachable extends Error {
  readonly code = 'TEMPORAL_UNREACHABLE';
  constructor(readonly address: string, cause?: unknown) {
    super(`Temporal is unreachable at ${address}`, { cause });
  }
}
