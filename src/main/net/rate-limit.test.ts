import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit';

describe('createRateLimiter', () => {
  it('starts no more than requestsPerMinute tasks in a minute', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, requestsPerMinute: 2 });
    const started: number[] = [];
    const tasks = [1, 2, 3].map((n) => limiter.add(async () => started.push(n)).catch(() => {}));
    await Promise.all(tasks.slice(0, 2));
    // The third waits for the window to roll over, a minute away.
    expect(started).toEqual([1, 2]);
    expect(limiter.size).toBe(1);
    limiter.clear();
  });

  it('runs no more than maxInFlight at once', async () => {
    const limiter = createRateLimiter({ maxInFlight: 2, requestsPerMinute: 100 });
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.add(task)));
    expect(most).toBe(2);
  });

  it('refuses nonsense limits', () => {
    expect(() => createRateLimiter({ maxInFlight: 0, requestsPerMinute: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ maxInFlight: 1, requestsPerMinute: 0.5 })).toThrow(RangeError);
  });
});
