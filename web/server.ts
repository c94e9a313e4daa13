// The agents' and managers' workspace, registered on the HTTP server (see issue 7).
import type { HttpServer, HttpDeps } from '../worker/http';

export function registerWorkspace(_app: HttpServer, _deps: HttpDeps): void {
  // Pages land here.
}
