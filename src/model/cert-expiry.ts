/**
 * How close a certificate is to its end, as `status` and `validate` report it: expired is an error (every client
 * refuses it), fewer than 30 days left a warning (time to renew), else fine.
 */
export const EXPIRY_WARNING_DAYS = 30;

export interface Expiry {
  readonly level: 'ok' | 'warning' | 'error';
  /** notAfter as an ISO date (YYYY-MM-DD, UTC). */
  readonly notAfter: string;
  /** Whole days left (negative once expired). */
  readonly daysLeft: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `validTo` as X509Certificate gives it ("Dec 22 05:18:06 2026 GMT") or any Date-parsable text. */
export function expiryOf(cert: { readonly validTo: string }, now: Date): Expiry {
  const end = new Date(cert.validTo);
  const left = end.getTime() - now.getTime();
  const daysLeft = Math.floor(left / DAY_MS);
  const level = left <= 0 ? 'error' : left < EXPIRY_WARNING_DAYS * DAY_MS ? 'warning' : 'ok';
  return { level, notAfter: end.toISOString().slice(0, 10), daysLeft };
}
