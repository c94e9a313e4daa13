// SLA alerts: at-risk and late orders to the global webhook and to each team's lead (webhook or
// e-mail). An endpoint that is down is logged once per attempt and retried by Temporal.
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { slaConfig } from '../domain/sla';
import { leadTarget, slaAlertMail } from '../domain/sla-alert';
import { attemptNumber, type ActivityDeps, type SlaAlert } from './deps';

export function createAlertActivities(deps: ActivityDeps) {
  const { log } = deps;
  /**
   * One alert attempt. When it cannot be delivered: one log line (endpoint and reason) and a short,
   * benign failure that Temporal retries without the SDK's stack dump.
   */
  async function deliverAlert(endpoint: string, alert: SlaAlert, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (e) {
      const reason = shortReason(e);
      log.warn({ endpoint, reason, orderId: alert.orderId, kind: alert.kind, attempt: attemptNumber() }, 'alert not delivered');
      throw ApplicationFailure.create({ message: `alert to ${endpoint} not delivered: ${reason}`, type: 'AlertNotDelivered', category: ApplicationFailureCategory.BENIGN });
    }
  }

  return {
    /** Tell the team lead an order is at risk or late (webhook when configured; always logged). */
    async notifySla(alert: SlaAlert): Promise<void> {
      log.warn({ ...alert }, alert.kind === 'at-risk' ? 'order at risk of missing its SLA' : 'order late');
      if (!deps.slaWebhook) return;
      await deliverAlert(deps.slaWebhook, alert, () => postJson(deps.slaWebhook!, { event: `sla.${alert.kind}`, ...alert }));
    },

    /**
     * The team lead hears of it too, where teams.yaml says (`lead`): a webhook URL is posted the
     * alert, an e-mail address gets a message in French. Apart from notifySla so that a dead lead
     * endpoint retries on its own, without posting the global webhook again.
     */
    async alertTeamLead(alert: SlaAlert): Promise<'webhook' | 'email' | 'none'> {
      const lead = alert.team ? (deps.teamLead?.(alert.team) ?? null) : null;
      const target = leadTarget(lead);
      if (!target) {
        if (lead) log.warn({ team: alert.team, lead }, 'team lead is neither an e-mail address nor an http(s) URL: not alerted');
        return 'none';
      }
      if (target.kind === 'webhook') {
        await deliverAlert(target.to, alert, () => postJson(target.to, { event: `sla.${alert.kind}`, to: 'team-lead', ...alert }));
        return 'webhook';
      }
      const mail = slaAlertMail(alert, { timeZone: slaConfig(deps.sla).timeZone, publicUrl: deps.publicUrl ?? null });
      if (!deps.sendMail) {
        log.warn({ team: alert.team, to: target.to, subject: mail.subject }, 'no SMTP configured (AIGUILLAGE_SMTP_URL): the team lead was not mailed');
        return 'none';
      }
      await deliverAlert(`mailto:${target.to}`, alert, () => deps.sendMail!({ to: target.to, ...mail }));
      log.info({ team: alert.team, to: target.to, orderId: alert.orderId, kind: alert.kind }, 'team lead alerted by e-mail');
      return 'email';
    },

  };
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
}

/** The reason an endpoint failed, in one line: fetch hides it in `cause` (ENOTFOUND host, ECONNREFUSED…). */
function shortReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` ${cause.message}` : ''}` : (cause?.message ?? (e as Error).message);
  return text.split('\n')[0]!.slice(0, 200);
}
