// GET /healthz: each dependency in turn — Temporal (a cheap call with a short deadline), the document
// store (writable), the mail listener when configured, the ERP once a connector exists. 503 when one is down.
import { randomBytes } from 'node:crypto';
import { unlink, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance as HttpServer } from 'fastify';
import type { Client } from '@temporalio/client';
import { temporalReachable } from '../worker/temporal';

export interface DependencyState {
  ok: boolean;
  /** What a person reads: the address checked, or why it is down. */
  detail: string;
}

export interface HealthHooks {
  /** The mail listener's state; absent when no mailbox is configured. */
  mail?: () => DependencyState;
  /** The ERP connector's check (placeholder until the ERP boundary lands); absent: not configured. */
  erp?: () => Promise<DependencyState>;
}

export async function checkHealth(deps: { client: Client; temporalAddress: string; dataDir: string; hooks?: HealthHooks }): Promise<{ ok: boolean; dependencies: Record<string, DependencyState> }> {
  const [temporal, storage, erp] = await Promise.all([
    temporalReachable(deps.client).then((r): DependencyState => (r.ok ? { ok: true, detail: deps.temporalAddress } : { ok: false, detail: `Temporal is unreachable at ${deps.temporalAddress}: ${r.reason}` })),
    storageWritable(deps.dataDir),
    deps.hooks?.erp ? deps.hooks.erp().catch((e: Error): DependencyState => ({ ok: false, detail: e.message })) : Promise.resolve(null),
  ]);
  const dependencies: Record<string, DependencyState> = { temporal, storage };
  if (deps.hooks?.mail) dependencies.mail = deps.hooks.mail();
  if (erp) dependencies.erp = erp;
  return { ok: Object.values(dependencies).every((d) => d.ok), dependencies };
}

async function storageWritable(dataDir: string): Promise<DependencyState> {
  const probe = join(dataDir, `.healthz-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(probe, 'ok');
    await unlink(probe);
    return { ok: true, detail: dataDir };
  } catch (e) {
    return { ok: false, detail: `cannot write in ${dataDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

export function registerHealth(app: HttpServer, deps: Parameters<typeof checkHealth>[0]): void {
  app.get('/healthz', async (_req, reply) => {
    const h = await checkHealth(deps);
    return reply.status(h.ok ? 200 : 503).send(h);
  });
}
