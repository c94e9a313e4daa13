// The EDI channel as the running stack needs it: the partners file, the durable record, and the
// pieces for the HTTP endpoint, the partners' folders and the worker's confirmations.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DocumentStore } from '../../storage/document-store';
import type { Ingestor } from '../../intake/submit';
import { loadPartners, type Partner } from './partners';
import { SeenStore } from '../../storage/edi-records';
import { createConfirmer } from './confirm';
import type { ReceiveDeps } from './receive';

export const seenFile = (dataDir: string): string => join(dataDir, 'edi', 'edi.sqlite');

export interface EdiChannel {
  partners: Partner[];
  seen: SeenStore;
  receiveDeps(ingestor: Pick<Ingestor, 'submit'>): ReceiveDeps;
  close(): void;
}

/** Throws InvalidPartners (file, line, field) when the partners file is wrong: the stack must not start half-configured. */
export function openEdiChannel(partnersFile: string, dataDir: string, log: Logger): EdiChannel {
  const partners = loadPartners(partnersFile);
  const seen = new SeenStore(seenFile(dataDir));
  seen.prune(new Date().toISOString());
  return {
    partners,
    seen,
    receiveDeps: (ingestor) => ({ partners, seen, dataDir, log, submit: (bytes, s) => ingestor.submit(bytes, s) }),
    close: () => seen.close(),
  };
}

export function ediConfirmer(partnersFile: string, dataDir: string, store: DocumentStore, log: Logger) {
  const partners = loadPartners(partnersFile);
  return createConfirmer({ partners, store, seen: new SeenStore(seenFile(dataDir)), dataDir, log });
}
