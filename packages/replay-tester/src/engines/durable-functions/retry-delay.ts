/** The fields of durable-functions' RetryOptions the host reads to time a retry. */
export interface DfRetryOptions {
  firstRetryIntervalInMilliseconds: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

/**
 * The delay before the retry that follows the `failedAttempt`-th (1-based) failed attempt, as the
 * Durable Task Framework's RetryInterceptor computes it: firstRetryInterval × backoffCoefficient^(n-1),
 * capped by maxRetryInterval. An unset (or non-positive) coefficient is the host's default 1, an unset
 * (or 0) cap means none.
 */
export function retryDelayMs(options: DfRetryOptions, failedAttempt: number): number {
  const coefficient = options.backoffCoefficient !== undefined && options.backoffCoefficient > 0 ? options.backoffCoefficient : 1;
  const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, failedAttempt - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 && delay > cap ? cap : delay;
}

/**
 * When the host's retry timer fires: the orchestration's current time (the episode in which the
 * failure was delivered) plus the retry delay. Durable Functions' JS side never sees this time (the
 * timer is host-created), so without it a recorded retry timer would fire the moment it is created.
 */
export function retryTimerFireAt(options: DfRetryOptions | undefined, failedAttempt: number, now: Date | undefined): string | undefined {
  if (!options || !(now instanceof Date) || Number.isNaN(now.getTime())) return undefined;
  return new Date(now.getTime() + retryDelayMs(options, failedAttempt)).toISOString();
}
