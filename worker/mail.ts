// `aiguillage mail`: the mailbox listeners alone, as their own process (the stack's `start` runs
// them in-process). Mailboxes come from AIGUILLAGE_MAILBOXES (a YAML file); SIGTERM finishes the
// batch in hand, then exits.
import { loadConfig } from './config';
import { createLogger } from './log';
import { connectClient } from './temporal';
import { DocumentStore } from '../storage/document-store';
import { Ingestor } from '../intake/submit';
import { InvalidMailboxConfig, loadMailboxes } from '../channels/email/config';
import { startMailChannel } from '../channels/email/index';
import { shutdownTracing, tracingFromEnv } from './telemetry';

const cfg = loadConfig();
const log = createLogger('aiguillage-mail');
const path = process.env.AIGUILLAGE_MAILBOXES;
if (!path) {
  console.error('AIGUILLAGE_MAILBOXES is not set: point it to a mailboxes YAML file (see config/mailboxes.example.yaml).');
  process.exit(2);
}
let mailboxes;
try {
  mailboxes = loadMailboxes(path);
} catch (e) {
  if (e instanceof InvalidMailboxConfig) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
// A traced receipt starts here when OTEL_* asks for traces: the span goes on into the worker's workflows.
tracingFromEnv();
const client = await connectClient(cfg);
const ingestor = new Ingestor(new DocumentStore(cfg.dataDir), client, cfg.taskQueue, log);
const channel = startMailChannel({ mailboxes, ingestor, dataDir: cfg.dataDir, log });
log.info({ mailboxes: mailboxes.map((m) => m.name) }, 'listening to mailboxes');
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void channel.stop().then(async () => {
      await client.connection.close();
      await shutdownTracing();
      process.exit(0);
    });
  });
