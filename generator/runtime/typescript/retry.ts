/** The retry policy (the same as the Python client's `RetryPolicy`). */

/**
 * Retries with exponential backoff and jitter, honouring `Retry-After`. Idempotent methods are
 * retried on any status in `statuses`; POST and PATCH only on 429, where the server said the
 * request was not processed. A refused connection (the request never reached the server) is
 * retried for every method, other network failures and timeouts for idempotent methods only.
 * `{ maxAttempts: 1 }` (`NO_RETRY`) turns retries off.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  readonly maxAttempts?: number;
  /** First delay in milliseconds, doubled each attempt (default 500). */
  readonly backoffMs?: number;
  /** Longest computed delay (default 30000). */
  readonly maxBackoffMs?: number;
  /** Each computed delay is scaled by a random factor in [1 - jitter, 1] (default 0.5). */
  readonly jitter?: number;
  /** Statuses worth retrying (default 429 and 503). */
  readonly statuses?: readonly number[];
  /** A longer `Retry-After` is not waited out: the error is thrown (default 120000). */
  readonly maxRetryAfterMs?: number;
  /** Source of jitter, in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export const NO_RETRY: RetryPolicy = { maxAttempts: 1 };

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) {
    return null;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const when = Date.parse(text);
  return Number.isNaN(when) ? null : Math.max(0, when - now);
}

/**
 * Milliseconds to wait before attempt `attempt + 1`, or null to give up. `retryAfter` is the
 * response's `Retry-After` header (undefined when there was no response).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter?: string | null): number | null {
  if (attempt >= (policy.maxAttempts ?? 4)) {
    return null;
  }
  const after = retryAfterMs(retryAfter);
  if (after !== null) {
    return after <= (policy.maxRetryAfterMs ?? 120_000) ? after : null;
  }
  const base = Math.min(policy.maxBackoffMs ?? 30_000, (policy.backoffMs ?? 500) * 2 ** (attempt - 1));
  return base * (1 - (policy.jitter ?? 0.5) * (policy.random ?? Math.random)());
}

export function shouldRetry(policy: RetryPolicy, idempotent: boolean, status: number): boolean {
  if (!(policy.statuses ?? [429, 503]).includes(status)) {
    return false;
  }
  return idempotent || status === 429;
}
