// The agents' and managers' workspace on the HTTP server (issue 7): sign-in, the inbox (live over
// SSE), the order page with its actions, the dashboard, search, the rules, and /api/workspace/* with
// the same data as JSON. Every action is a workflow update: the page shows what the workflow accepted.
// One route module per page family in web/routes/; this file mounts them in the workspace's scope.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { checkSecret, secretFromFile } from '../storage/secrets';
import type { HttpServer, HttpDeps } from '../http/types';
import { parseUsers } from './auth';
import { createWorkspaceContext, type WorkspaceOptions } from './routes/context';
import { registerSessionRoutes } from './routes/session';
import { registerInboxRoutes } from './routes/inbox';
import { registerOrderRoutes } from './routes/orders';
import { registerDocumentRoutes } from './routes/documents';
import { registerManagerRoutes } from './routes/manager';
import { registerJsonRoutes } from './routes/json';

export { NO_USERS, type WorkspaceOptions } from './routes/context';
export { safeNext } from './routes/session';

const SECRET_FIX = 'use 32 or more random bytes (`openssl rand -base64 32`)';

function sessionSecretFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.AIGUILLAGE_SESSION_SECRET) return Buffer.from(checkSecret(env.AIGUILLAGE_SESSION_SECRET, 'AIGUILLAGE_SESSION_SECRET', SECRET_FIX));
  // Kept on disk so that sessions survive a restart; readable by the service account only.
  return Buffer.from(secretFromFile(join(dataDir, 'session-secret'), 'the session secret file', `delete it to have a new one made, or set AIGUILLAGE_SESSION_SECRET (${SECRET_FIX})`));
}

/**
 * The workspace in its own scope: cookies (@fastify/cookie) and its own forms (@fastify/formbody)
 * are parsed here only, never on the machine API.
 */
export function registerWorkspace(app: HttpServer, deps: HttpDeps, opts: WorkspaceOptions = {}): void {
  // Checked now, not when the server starts: a weak secret or a bad users file stops the build with its message.
  const secret = opts.sessionSecret ?? sessionSecretFor(deps.cfg.dataDir);
  const usersFile = opts.usersFile === undefined ? deps.cfg.usersFile : opts.usersFile;
  if (usersFile) parseUsers(readFileSync(usersFile, 'utf8'), usersFile);
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: FORM_LIMIT }, scope.getDefaultJsonParser('error', 'error'));
    await scope.register(fastifyFormbody, { bodyLimit: FORM_LIMIT });
    await scope.register(fastifyCookie);
    const ctx = createWorkspaceContext(deps, opts, secret, usersFile);
    const app = scope as unknown as HttpServer;
    registerSessionRoutes(app, ctx);
    registerInboxRoutes(app, ctx);
    registerOrderRoutes(app, ctx);
    registerDocumentRoutes(app, ctx);
    registerManagerRoutes(app, ctx);
    registerJsonRoutes(app, ctx);
  });
}

/** Sign-in and action forms are small; a correction form of a long order stays well below. */
const FORM_LIMIT = 1024 * 1024;
