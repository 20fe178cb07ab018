// Outgoing request budget for one remote service: at most `maxInFlight` requests at once and at most
// `requestsPerMinute` started in any rolling minute. Every attempt, retries included, takes a slot, so
// a burst of retries cannot exceed what the service allows.
import PQueue from 'p-queue';

export interface RateLimitOptions {
  maxInFlight: number;
  requestsPerMinute: number;
}

export function createRateLimiter(options: RateLimitOptions): PQueue {
  const { maxInFlight, requestsPerMinute } = options;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`maxInFlight must be a whole number of at least 1, got ${maxInFlight}`);
  }
  if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 1) {
    throw new RangeError(`requestsPerMinute must be a whole number of at least 1, got ${requestsPerMinute}`);
  }
  // strict = sliding window: no more than the cap in ANY 60 s, not just per fixed minute slot, which
  // would allow twice the cap across a slot boundary.
  return new PQueue({ concurrency: maxInFlight, interval: 60_000, intervalCap: requestsPerMinute, strict: true });
}
