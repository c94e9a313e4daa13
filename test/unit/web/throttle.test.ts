import { describe, expect, it } from 'vitest';
import { LoginThrottle, DEFAULT_THROTTLE } from '../../../web/throttle';

describe('sign-in throttle', () => {
  it('locks a login at an address after 5 failures, for 15 minutes', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < 5; i++) {
      expect(th.check('lea', '10.0.0.1')).toBe('ok');
      th.failed('lea', '10.0.0.1');
    }
    expect(th.check('lea', '10.0.0.1')).toBe('locked');
    expect(th.check('lea', '10.0.0.2')).toBe('ok');
    t += 15 * 60_000;
    expect(th.check('lea', '10.0.0.1')).toBe('ok');
  });

  it('locks an address trying many logins', () => {
    let t = 0;
    const th = new LoginThrottle(() => t);
    for (let i = 0; i < 20; i++) {
      th.failed(`user${i}`, '10.0.0.9');
      t += 1000;
    }
    expect(th.check('someone-else', '10.0.0.9')).toBe('locked');
  });

  it('keeps a bounded store: entries expire and the oldest go past the cap', () => {
    let t = 0;
    const th = new LoginThrottle(() => t, { ...DEFAULT_THROTTLE, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) th.failed('lea', `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(th.size).toBeLessThanOrEqual(100);
    t += 16 * 60_000;
    th.failed('lea', '192.168.0.1');
    expect(th.size).toBe(2);
  });

  it('answers busy past a global rate of sign-ins, whoever they are', () => {
    let t = 0;
    const th = new LoginThrottle(() => t, { ...DEFAULT_THROTTLE, globalBurst: 30, globalPerSecond: 10 });
    const verdicts = Array.from({ length: 40 }, (_, i) => th.check(`u${i}`, `10.0.1.${i}`));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(30);
    expect(verdicts.slice(30).every((v) => v === 'busy')).toBe(true);
    t += 1000;
    expect(th.check('lea', '10.0.2.1')).toBe('ok');
  });
});
