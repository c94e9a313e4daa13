// The local Temporal dev server (from the Temporal CLI), with its state in .data/ and the project's
// search attributes registered. For a cluster, point TEMPORAL_ADDRESS elsewhere and skip this.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import type { Logger } from 'pino';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/definitions';
import { ROOT } from './config';

const TYPE_NAMES: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DOUBLE]: 'Double',
};

export function searchAttributeArgs(): string[] {
  return ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${TYPE_NAMES[k.type]}`]);
}

export function temporalCliPath(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  return execFileSync('bash', [join(ROOT, 'scripts/provision-temporal.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export async function startDevServer(opts: { dataDir: string; port: number; uiPort: number; log: Logger }): Promise<DevServer> {
  const bin = temporalCliPath();
  mkdirSync(opts.dataDir, { recursive: true });
  const logFile = openSync(join(opts.dataDir, 'temporal-dev-server.log'), 'a');
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort),
    '--db-filename', join(opts.dataDir, 'temporal.sqlite'), '--log-level', 'warn', ...searchAttributeArgs(),
  ];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', logFile, logFile] });
  const address = `127.0.0.1:${opts.port}`;
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    if (code) opts.log.error({ code }, `Temporal dev server exited; see ${join(opts.dataDir, 'temporal-dev-server.log')}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the Temporal dev server did not start; see ${join(opts.dataDir, 'temporal-dev-server.log')} (is port ${opts.port} already in use?)`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the Temporal dev server did not answer on ${address} within 60 s`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
