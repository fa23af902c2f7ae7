import { RemoteError, type TransportError } from '../../errors.js';
import type { HostName } from '../../model/inventory.js';

/** Hosts the run could not connect to: raised before any change. */
export function unreachableError(unreachable: ReadonlyMap<HostName, TransportError>, totalHosts: number): RemoteError {
  const lines = [...unreachable.values()].map((e) => `  ${e.message}${e.hint ? `\n    ${e.hint}` : ''}`);
  const what = [...unreachable.values()].every((e) => e.kind === 'become') ? 'sudo does not work for the login user on' : 'cannot reach';
  return new RemoteError([...unreachable.keys()].join(', '), `${what} ${unreachable.size} of ${totalHosts} host(s); nothing was changed`,
    lines.join('\n'), 'fix the connection problems above, then re-run');
}

/** Preflight problems on the hosts: raised before any change. */
export function preflightError(problems: readonly string[]): RemoteError {
  return new RemoteError('preflight', `${problems.length} problem(s) found before any change; nothing was changed`,
    problems.map((p) => `  ${p}`).join('\n'), 'fix them on the hosts (or in the inventory), then re-run');
}
