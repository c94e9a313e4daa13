// Sign-in throttling: failures counted per login and address, and per address alone, in a store
// whose entries expire and whose size is capped; plus a global rate so that a flood of sign-ins
// (each one costs a scrypt) cannot hold the server.

export interface ThrottleOptions {
  /** Failures per login and address before a lock-out. */
  perLogin: number;
  /** Failures per address (any login) before a lock-out. */
  perAddress: number;
  lockMs: number;
  /** Entries kept at most; beyond, the oldest go first. */
  maxEntries: number;
  /** Sign-in attempts per second across all users (token bucket), and the burst allowed. */
  globalPerSecond: number;
  globalBurst: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { perLogin: 5, perAddress: 20, lockMs: 15 * 60_000, maxEntries: 10_000, globalPerSecond: 10, globalBurst: 30 };

export type ThrottleVerdict = 'ok' | 'locked' | 'busy';

export class LoginThrottle {
  private failures = new Map<string, { n: number; until: number }>();
  private tokens: number;
  private refilledAt: number;

  constructor(
    private now: () => number,
    private o: ThrottleOptions = DEFAULT_THROTTLE,
  ) {
    this.tokens = o.globalBurst;
    this.refilledAt = now();
  }

  /** Before checking a password: 'locked' (too many failures here), 'busy' (too many sign-ins everywhere) or 'ok'. */
  check(login: string, address: string): ThrottleVerdict {
    const t = this.now();
    if (this.count(`l|${login}|${address}`, t) >= this.o.perLogin || this.count(`a|${address}`, t) >= this.o.perAddress) return 'locked';
    this.tokens = Math.min(this.o.globalBurst, this.tokens + ((t - this.refilledAt) / 1000) * this.o.globalPerSecond);
    this.refilledAt = t;
    if (this.tokens < 1) return 'busy';
    this.tokens -= 1;
    return 'ok';
  }

  failed(login: string, address: string): void {
    const t = this.now();
    for (const key of [`l|${login}|${address}`, `a|${address}`]) {
      const n = this.count(key, t) + 1;
      this.failures.delete(key); // re-inserted last: the Map's order is the age order
      this.failures.set(key, { n, until: t + this.o.lockMs });
    }
    this.prune(t);
  }

  succeeded(login: string, address: string): void {
    this.failures.delete(`l|${login}|${address}`);
  }

  get size(): number {
    return this.failures.size;
  }

  private count(key: string, t: number): number {
    const f = this.failures.get(key);
    if (!f) return 0;
    if (f.until <= t) {
      this.failures.delete(key);
      return 0;
    }
    return f.n;
  }

  private prune(t: number): void {
    if (this.failures.size <= this.o.maxEntries) return;
    for (const [k, f] of this.failures) if (f.until <= t) this.failures.delete(k);
    for (const k of this.failures.keys()) {
      if (this.failures.size <= this.o.maxEntries) break;
      this.failures.delete(k);
    }
  }
}
