// The agent's inbox, and its live updates (SSE): a change stamp only, each browser fetches its own view.
import type { HttpServer } from '../../http/types';
import { inbox } from '../model';
import { inboxFragment, inboxPage } from '../pages';
import { classeOf, type WorkspaceContext } from './context';

export function registerInboxRoutes(app: HttpServer, ctx: WorkspaceContext): void {
  const { readModel, log, now, opts, need, htmlReply, visibleStates } = ctx;
  app.get('/', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const t = now();
    const classe = classeOf(req);
    return htmlReply(reply, 200, inboxPage(a.user, a.csrf, inbox(visibleStates(a.user), a.user, t, undefined, { views: readModel.erpViews(), classe }), t, classe));
  });
  app.get('/inbox/rows', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    const t = now();
    return htmlReply(reply, 200, inboxFragment(inbox(visibleStates(a.user), a.user, t, undefined, { views: readModel.erpViews(), classe: classeOf(req) }), t).value);
  });

  // One timer for all browsers: when the read model changes, each is told to fetch its own view
  // (nothing but a stamp goes down the stream, so no order leaks to a user who may not see it).
  const streams = new Set<NodeJS.WritableStream & { end(): void }>();
  let stamp = '';
  const tick = setInterval(() => {
    if (streams.size === 0) return;
    try {
      const s = readModel.changeStamp();
      if (s !== stamp) {
        stamp = s;
        for (const w of streams) w.write(`event: changed\ndata: ${s}\n\n`);
      }
    } catch (e) {
      log.warn({ error: (e as Error).message }, 'live inbox: cannot read the read model');
    }
  }, opts.liveIntervalMs ?? 1000);
  tick.unref();
  const keepAlive = setInterval(() => streams.forEach((w) => w.write(': ping\n\n')), 25_000);
  keepAlive.unref();
  app.addHook('preClose', async () => {
    clearInterval(tick);
    clearInterval(keepAlive);
    for (const w of streams) w.end();
    streams.clear();
  });
  app.get('/events', async (req, reply) => {
    const a = need(req, reply);
    if (!a) return reply;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 3000\nevent: ready\ndata: ${readModel.changeStamp()}\n\n`);
    streams.add(res);
    req.raw.on('close', () => streams.delete(res));
  });
}
