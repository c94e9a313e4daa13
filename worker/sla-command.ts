// `aiguillage sla due`: the due time the SLA rule (domain/sla.ts) gives for a receipt time.
import type { Command } from 'commander';
import { computeDue, DEFAULT_SLA_CONFIG, formatInZone, InvalidSlaInput, slaConfig, toEpochMs } from '../domain/sla';

/** Registers `sla due --received-at ISO` on a commander program (exit 2 on unreadable input). */
export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('the "saisi avant 17h" promise: due times');
  sla
    .command('due')
    .description('print the due time (ISO 8601 with offset) of an order received at a given time')
    .requiredOption('--received-at <iso>', 'receipt time, e.g. 2026-11-23T16:59:59+01:00 (no offset = Paris time)')
    .option('--cutoff <HH:MM>', 'receipt cut-off', DEFAULT_SLA_CONFIG.receiptCutoff)
    .option('--deadline <HH:MM>', 'entry deadline', DEFAULT_SLA_CONFIG.entryDeadline)
    .option('--at-risk <minutes>', 'at risk this long before due', String(DEFAULT_SLA_CONFIG.atRiskMinutes))
    .option('--closing-days <dates>', 'company closing days, comma-separated YYYY-MM-DD', '')
    .option('--alsace-moselle', 'also close on Good Friday and 26 December', false)
    .option('--json', 'print { dueAt, atRiskAt, dueDay } as JSON')
    .action((opts: { receivedAt: string; cutoff: string; deadline: string; atRisk: string; closingDays: string; alsaceMoselle: boolean; json?: boolean }) => {
      try {
        const config = slaConfig({
          receiptCutoff: opts.cutoff,
          entryDeadline: opts.deadline,
          atRiskMinutes: Number(opts.atRisk),
          closingDays: opts.closingDays.split(',').map((s) => s.trim()).filter(Boolean),
          alsaceMoselle: opts.alsaceMoselle,
        });
        const due = computeDue(opts.receivedAt, config);
        console.log(opts.json ? JSON.stringify({ receivedAt: formatInZone(toEpochMs(opts.receivedAt, 'receivedAt'), config.timeZone), dueAt: due.dueAt, atRiskAt: due.atRiskAt, dueDay: due.dueDay }) : due.dueAt);
      } catch (e) {
        if (!(e instanceof InvalidSlaInput)) throw e;
        console.error(`sla due: ${e.message}`);
        process.exitCode = 2;
      }
    });
}
