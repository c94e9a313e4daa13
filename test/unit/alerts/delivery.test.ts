// An alert that cannot be delivered is one short line per attempt (endpoint and reason) and a benign
// failure for Temporal to retry, never a stack dump on the console.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createServer } from 'node:net';
import { pino } from 'pino';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { createActivities, type ActivityDeps, type SlaAlert } from '../../../activities/index';

function logged() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk)) as Record<string, unknown>); cb(); } });
  return { lines, log: pino({ level: 'info' }, stream) };
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const alert: SlaAlert = { orderId: 'C001-PO1', kind: 'late', team: 'nord-est', agent: null, dueAt: '2026-11-23T16:00:00Z', poNumber: 'PO1', customerId: 'C001' };

function activities(deps: Partial<ActivityDeps>, log: ActivityDeps['log']) {
  return createActivities({ store: {} as never, masterData: () => ({}) as never, client: {} as never, taskQueue: 'q', readModel: {} as never, log, ...deps });
}

describe('undeliverable alerts', () => {
  it('a dead team-lead webhook is one line and a short benign failure', async () => {
    const { lines, log } = logged();
    const url = `http://127.0.0.1:${await closedPort()}/adv/nord-est`;
    const a = activities({ teamLead: () => url }, log);
    const err = await a.alertTeamLead(alert).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    const f = err as ApplicationFailure;
    expect(f.category).toBe(ApplicationFailureCategory.BENIGN);
    expect(f.message).toBe(`alert to ${url} not delivered: ECONNREFUSED`);
    const line = lines.find((l) => l.msg === 'alert not delivered');
    expect(line).toMatchObject({ endpoint: url, reason: 'ECONNREFUSED', orderId: 'C001-PO1' });
    expect(JSON.stringify(line)).not.toContain('    at ');
  });

  it('a mail server that refuses is one line too', async () => {
    const { lines, log } = logged();
    const a = activities({ teamLead: () => 'lead@example.com', sendMail: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:25\n    at TCPConnectWrap.afterConnect'); } }, log);
    await expect(a.alertTeamLead(alert)).rejects.toThrow('alert to mailto:lead@example.com not delivered: connect ECONNREFUSED 127.0.0.1:25');
    expect(lines.filter((l) => l.msg === 'alert not delivered')).toHaveLength(1);
  });
});
