// Secrets the server keeps in its data folder (the session key, the API token): created once at
// random, written atomically and readable by the service account only; a short one is refused.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { writeFileAtomicSync } from './atomic';

/** The shortest secret we accept, in bytes: below this a signature or a token can be guessed. */
export const MIN_SECRET_BYTES = 32;

export class WeakSecret extends Error {
  readonly code = 'WEAK_SECRET';
  constructor(message: string) {
    super(message);
    this.name = 'WeakSecret';
  }
}

/**
 * The secret kept at `path`: read it, or create it (32 random bytes, base64url) when there is none.
 * An existing file shorter than 32 bytes is refused: an empty file would make every signature forgeable.
 */
export function secretFromFile(path: string, what: string, fix: string): string {
  if (existsSync(path)) return checkSecret(readFileSync(path, 'utf8').trim(), `${what} (${path})`, fix);
  const secret = randomBytes(MIN_SECRET_BYTES).toString('base64url');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Temp file 0600, fsync, rename, folder fsync: a crash leaves no file or the whole one, never a short secret.
  writeFileAtomicSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function checkSecret(value: string, what: string, fix: string): string {
  const n = Buffer.byteLength(value, 'utf8');
  if (n < MIN_SECRET_BYTES) throw new WeakSecret(`${what} is ${n} bytes long; at least ${MIN_SECRET_BYTES} are needed: ${fix}`);
  return value;
}

export const apiTokenPath = (dataDir: string): string => join(dataDir, 'api-token');
const TOKEN_FIX = 'make one with `openssl rand -base64 32`';

/** The machine API's bearer token, server side: AIGUILLAGE_API_TOKEN, else the one kept in <data>/api-token (made on first start). */
export function serverApiToken(cfg: { apiToken: string | null; dataDir: string }): string {
  if (cfg.apiToken) return checkSecret(cfg.apiToken, 'AIGUILLAGE_API_TOKEN', TOKEN_FIX);
  return secretFromFile(apiTokenPath(cfg.dataDir), 'the API token file', `delete it to have a new one made, or set AIGUILLAGE_API_TOKEN (${TOKEN_FIX})`);
}

/** The same token, client side (CLI on the server's machine): never creates one. */
export function clientApiToken(cfg: { apiToken: string | null; dataDir: string }): string | null {
  if (cfg.apiToken) return cfg.apiToken;
  try {
    return readFileSync(apiTokenPath(cfg.dataDir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** The Authorization header a command-line client sends, or none when no token is known here. */
export function apiAuthorization(cfg: { apiToken: string | null; dataDir: string }): Record<string, string> {
  const token = clientApiToken(cfg);
  return token ? { authorization: `Bearer ${token}` } : {};
}
