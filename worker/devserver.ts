// The local Temporal dev server (from the Temporal CLI), with its state in .data/ and the project's
// search attributes registered. For a cluster, point TEMPORAL_ADDRESS elsewhere and skip this.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
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
  /** The running server's process id (it changes when the server is restarted). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  log: Logger;
  /**
   * Called with one line for a person when the server dies after it started (by an exit code or a
   * signal); it is then restarted on the same state. Absent: it is only logged and not restarted.
   */
  onDeath?: (line: string) => void;
}

/** Why a child stopped, in words: a process killed by a signal has no exit code. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const bin = temporalCliPath();
  mkdirSync(opts.dataDir, { recursive: true });
  const logPath = join(opts.dataDir, 'temporal-dev-server.log');
  const args = [
    'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort),
    '--db-filename', join(opts.dataDir, 'temporal.sqlite'), '--log-level', 'warn', ...searchAttributeArgs(),
  ];
  const address = `127.0.0.1:${opts.port}`;
  let stopping = false;
  let child: ChildProcess;
  let exited = false;
  let restarts = 0;

  const spawnServer = (): void => {
    const logFile = openSync(logPath, 'a');
    child = spawn(bin, args, { stdio: ['ignore', logFile, logFile] });
    closeSync(logFile);
    exited = false;
    const started = Date.now();
    child.on('exit', (code, signal) => {
      exited = true;
      if (stopping) return;
      const why = exitReason(code, signal);
      opts.log.error({ code, signal }, `Temporal dev server stopped (${why}); see ${logPath}`);
      if (!opts.onDeath || !ready) return;
      // Restarted on the same state file: workflows and timers carry on. A server that keeps dying
      // at once is not restarted forever.
      if (Date.now() - started > 60_000) restarts = 0;
      if (++restarts > 5) {
        opts.onDeath(`✗ the Temporal dev server on ${address} stopped (${why}) ${restarts - 1} times in a row; not restarting it — see ${logPath}`);
        return;
      }
      opts.onDeath(`✗ the Temporal dev server on ${address} stopped (${why}); restarting it — see ${logPath}`);
      setTimeout(() => {
        if (!stopping) spawnServer();
      }, 500 * restarts);
    });
  };
  let ready = false;
  spawnServer();
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the Temporal dev server did not start; see ${logPath} (is port ${opts.port} already in use?)`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child!.kill('SIGKILL');
        throw new Error(`the Temporal dev server did not answer on ${address} within 60 s`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  ready = true;
  return {
    address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    pid: () => (exited ? undefined : child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
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
