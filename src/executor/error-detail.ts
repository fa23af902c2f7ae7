import { ApimDeployError, HealthTimeoutError, RemoteError, TransportError } from '../errors.js';
import type { ErrorDetail } from '../model/events.js';
import { redact, type Secret } from '../model/secret.js';

/** Transport failures that mean the host is gone for this run (not a command that failed on it). */
export function isUnreachable(err: unknown): boolean {
  return err instanceof TransportError && err.kind !== 'protocol';
}

/** A secret-free, printable view of any error thrown by a step. */
export function errorDetail(err: unknown, secrets: readonly Secret[]): ErrorDetail {
  const clean = (s: string): string => redact(s, secrets);
  if (err instanceof ApimDeployError) {
    const detail = err instanceof RemoteError || err instanceof HealthTimeoutError ? err.detail : '';
    return {
      name: err.name,
      message: clean(err.message),
      ...(detail ? { detail: clean(detail) } : {}),
      ...(err.hint ? { hint: clean(err.hint) } : {}),
    };
  }
  if (err instanceof Error) return { name: err.name, message: clean(err.message) };
  return { name: 'Error', message: clean(String(err)) };
}
