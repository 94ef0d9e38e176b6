/**
 * Retry behaviour as data with pure helpers (the hls.js RetryConfig model),
 * shared by the S3 driver, origin fetches and Redis callers. `retry()` is the
 * one place that sleeps between attempts.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. @defaultValue 5 */
  maxAttempts: number;
  /** Delay before the second attempt. @defaultValue 100 */
  baseDelayMs: number;
  /** Upper bound of any delay. @defaultValue 5_000 */
  maxDelayMs: number;
  /** 0 = no jitter, 1 = "full jitter" (uniform in [0, delay]). @defaultValue 1 */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5_000, jitter: 1 };

/**
 * Exponential backoff with jitter for the given attempt (1 = the delay after the
 * first failure). `random` is injected so tests are deterministic.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jitterPart = exponential * policy.jitter * random();
  return Math.round(exponential - jitterPart);
}

export function shouldRetry(policy: RetryPolicy, attempt: number): boolean {
  return attempt < policy.maxAttempts;
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Decides whether a failure is transient. @defaultValue every error is retried */
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const retryable = options.isRetryable?.(error) ?? true;
      if (!retryable || !shouldRetry(policy, attempt) || options.signal?.aborted) throw error;
      const delayMs = retryDelayMs(policy, attempt);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
