// At most `limit` calls at once per key, the rest queued in order. Temporal refuses more than a few
// updates in flight on one workflow (10 on a default server): a morning backlog of one big customer
// would otherwise turn into ResourceExhausted refusals and retries against its coordinator.
export function perKeyLimit(limit: number) {
  const running = new Map<string, { active: number; waiting: (() => void)[] }>();
  return async function run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let slot = running.get(key);
    if (!slot) running.set(key, (slot = { active: 0, waiting: [] }));
    const s = slot;
    if (s.active >= limit) await new Promise<void>((resolve) => s.waiting.push(resolve));
    else s.active++;
    try {
      return await fn();
    } finally {
      const next = s.waiting.shift();
      if (next) next();
      else if (--s.active === 0) running.delete(key);
    }
  };
}
