// Tryton as a process of the stack: installed by scripts/tryton/setup.sh into a virtual environment,
// its demo database made by scripts/tryton/init_db.py in the data folder, and trytond started on a
// loopback port and stopped with the rest. No Tryton, no pretending: a clear message says what to do.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class TrytonNotInstalled extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrytonNotInstalled';
  }
}

export const DEFAULT_DATABASE = 'aiguillage';

/** Where the Tryton venv is: AIGUILLAGE_TRYTON_VENV, else .tools/tryton/venv (scripts/tryton/setup.sh). */
export function trytonVenv(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(root, env.AIGUILLAGE_TRYTON_VENV ?? '.tools/tryton/venv');
}

export function trytonInstalled(venv: string): boolean {
  return existsSync(join(venv, 'bin', 'trytond')) && existsSync(join(venv, 'bin', 'python'));
}

/** Runs the (idempotent) install; throws TrytonNotInstalled with the installer's own words. */
export async function ensureTrytonInstalled(root: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const venv = trytonVenv(root, env);
  if (trytonInstalled(venv) && existsSync(join(venv, '.aiguillage-tryton-8.2'))) return venv;
  try {
    await run('bash', [join(root, 'scripts/tryton/setup.sh')], { env: { ...env, AIGUILLAGE_TRYTON_VENV: venv }, timeout: 15 * 60_000, maxBuffer: 4 * 1024 * 1024 });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim().split('\n').slice(-5).join('\n');
    throw new TrytonNotInstalled(`Tryton is not installed and could not be installed (bash scripts/tryton/setup.sh): ${stderr || (e as Error).message}`);
  }
  return venv;
}

/** The demo database (company, customers, products, stock, credit limits) in `dir`, made once. */
export async function initTrytonDatabase(opts: { root: string; venv: string; dir: string; masterDataDir: string; database?: string }): Promise<void> {
  const name = opts.database ?? DEFAULT_DATABASE;
  if (existsSync(join(opts.dir, `${name}.ready`))) return;
  try {
    await run(join(opts.venv, 'bin', 'python'), [join(opts.root, 'scripts/tryton/init_db.py'), '--dir', opts.dir, '--name', name, '--masterdata', opts.masterDataDir], {
      timeout: 20 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '').trim().split('\n').slice(-8).join('\n');
    throw new Error(`the Tryton demo database could not be made in ${opts.dir}: ${stderr || (e as Error).message}`);
  }
}

/** A copy of a ready database into another folder (tests: one made, copied per test). */
export function copyTrytonDatabase(from: string, to: string, database = DEFAULT_DATABASE): void {
  mkdirSync(to, { recursive: true });
  for (const f of [`${database}.sqlite`, 'admin.password', `${database}.ready`]) copyFileSync(join(from, f), join(to, f));
  writeFileSync(join(to, 'trytond.conf'), `[database]\nuri = sqlite://\npath = ${to}\n`);
}

export function adminPassword(dir: string): string {
  return readFileSync(join(dir, 'admin.password'), 'utf8').trim();
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

export interface RunningTryton {
  url: string;
  database: string;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts trytond on 127.0.0.1:port with the database of `dir`; resolves once it answers JSON-RPC. */
export async function startTrytond(opts: { venv: string; dir: string; port: number; database?: string; log?: (line: string) => void; readyTimeoutMs?: number }): Promise<RunningTryton> {
  const database = opts.database ?? DEFAULT_DATABASE;
  const conf = join(opts.dir, 'trytond.conf');
  if (!existsSync(conf)) writeFileSync(conf, `[database]\nuri = sqlite://\npath = ${opts.dir}\n`);
  const child = spawn(join(opts.venv, 'bin', 'trytond'), ['-c', conf, '-d', database], {
    env: { ...process.env, TRYTOND_WEB__LISTEN: `127.0.0.1:${opts.port}`, TRYTOND_LOGGING_LEVEL: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
    opts.log?.(d.toString());
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`trytond exited with code ${child.exitCode}: ${tail.trim().split('\n').slice(-5).join(' | ')}`);
    try {
      const res = await fetch(`${url}/${database}/rpc/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":"system.listMethods","params":[],"id":0}', signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`trytond did not answer on ${url} within ${Math.round((opts.readyTimeoutMs ?? 90_000) / 1000)} s: ${tail.trim().split('\n').slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, database, dir: opts.dir, process: child, stop };
}
