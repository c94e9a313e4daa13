// The email channel: one listener per configured mailbox, one delivery index for all of them (the
// same message sent to two of our addresses is one document).
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Ingestor } from '../../intake/submit';
import type { MailboxConfig } from './config';
import { DeliveryIndex } from '../../storage/mail-delivery-index';
import { MailboxListener, type ListenerOptions, type MailboxListenerEvents } from './listener';

export interface MailChannel {
  listeners: MailboxListener[];
  index: DeliveryIndex;
  stop(): Promise<void>;
}

export function deliveryIndexPath(dataDir: string): string {
  return join(dataDir, 'mail', 'deliveries.sqlite');
}

export function startMailChannel(args: {
  mailboxes: MailboxConfig[];
  ingestor: Pick<Ingestor, 'submit'>;
  dataDir: string;
  log: Logger;
  options?: ListenerOptions;
  events?: MailboxListenerEvents;
}): MailChannel {
  const index = new DeliveryIndex(deliveryIndexPath(args.dataDir));
  const log = args.log.child({ channel: 'email' });
  const listeners = args.mailboxes.map((m) => new MailboxListener(m, args.ingestor, index, log, args.options, args.events));
  for (const l of listeners) l.start();
  return {
    listeners,
    index,
    async stop() {
      await Promise.all(listeners.map((l) => l.stop()));
      index.close();
    },
  };
}
