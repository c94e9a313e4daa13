import { describe, expect, it } from 'vitest';
import { perKeyLimit } from '../../../activities/per-key-limit';

describe('perKeyLimit', () => {
  it('runs at most N calls at once per key, in order, and other keys independently', async () => {
    const run = perKeyLimit(2);
    const active: Record<string, number> = {};
    const peak: Record<string, number> = {};
    const order: string[] = [];
    const gates: (() => void)[] = [];
    const call = (key: string, id: string) =>
      run(key, async () => {
        active[key] = (active[key] ?? 0) + 1;
        peak[key] = Math.max(peak[key] ?? 0, active[key]!);
        order.push(id);
        await new Promise<void>((r) => gates.push(r));
        active[key]!--;
        return id;
      });
    const all = [call('A', 'a1'), call('A', 'a2'), call('A', 'a3'), call('A', 'a4'), call('B', 'b1')];
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['a1', 'a2', 'b1']);
    while (gates.length) {
      gates.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(await Promise.all(all)).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    expect(peak).toEqual({ A: 2, B: 1 });
  });

  it('frees the slot when a call fails', async () => {
    const run = perKeyLimit(1);
    await expect(run('A', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await run('A', async () => 'next')).toBe('next');
  });
});
