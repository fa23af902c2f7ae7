import { TransportError } from '../errors.js';
import type { HealthCheck, ProbeResult } from '../model/health.js';
import type { ExecResult, RemoteCommand, Transport } from '../transport/transport.js';

const seconds = (ms: number): string => String(Math.max(1, Math.ceil(ms / 1000)));

/**
 * The command a check runs on the node itself, or undefined when it runs from the controller. Pure, so a dry run can
 * show it. Port checks need no privilege: they run as the login user (no sudo), curl reading no ~/.curlrc (-q) and
 * going through no proxy the login environment may set (/etc/environment's http_proxy reaches SSH sessions).
 */
export function remoteProbeCommand(check: HealthCheck, timeoutMs: number): RemoteCommand | undefined {
  switch (check.kind) {
    case 'http': {
      if (check.from !== 'host') return undefined;
      const tls = check.insecureTls ? ['-k'] : [];
      const body = check.bodyContains === undefined ? ['-o', '/dev/null'] : [];
      // With a body check, the status follows the body on its own last line.
      const format = check.bodyContains === undefined ? '%{http_code}' : '\n%{http_code}';
      return { argv: ['curl', '-q', '-s', '--noproxy', '*', ...tls, ...body, '--max-time', seconds(timeoutMs), '-w', format, '--', check.url], asLoginUser: true };
    }
    case 'tcp':
      if (check.from !== 'host') return undefined;
      return {
        argv: ['timeout', seconds(timeoutMs), 'bash', '-c', 'exec 3<>"/dev/tcp/$0/$1"', check.host, String(check.port)],
        asLoginUser: true,
      };
    case 'log':
      return { argv: ['grep', '-c', '-E', '-e', check.pattern, '--', check.file], timeoutMs };
    case 'command':
      return { argv: check.argv, timeoutMs };
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** Turns the remote command's answer into a verdict with a detail an operator can act on. */
export function interpretRemoteProbe(check: HealthCheck, r: ExecResult): ProbeResult {
  const fail = (detail: string): ProbeResult => ({ check, healthy: false, detail });
  switch (check.kind) {
    case 'http': {
      const status = Number(lastLine(r.stdout));
      const where = `${check.url} (from host)`;
      if (!status) return fail(`no HTTP answer from ${where}: curl exit ${r.exitCode}${curlMeaning(r.exitCode)}`);
      if (!check.expectStatus.includes(status)) {
        return fail(`HTTP ${status} from ${where} (expected ${check.expectStatus.join('|')})`);
      }
      if (check.bodyContains !== undefined && !r.stdout.includes(check.bodyContains)) {
        return fail(`HTTP ${status} from ${where} without ${JSON.stringify(check.bodyContains)} in the body`);
      }
      return { check, healthy: true, detail: `HTTP ${status} from ${where}` };
    }
    case 'tcp': {
      const where = `${check.host}:${check.port} (from host)`;
      if (r.exitCode === 0) return { check, healthy: true, detail: `port ${where} open` };
      return fail(r.exitCode === 124 ? `port ${where} did not answer` : `port ${where} closed`);
    }
    case 'log': {
      if (r.exitCode === 0) return { check, healthy: true, detail: `${lastLine(r.stdout)} matching lines in ${check.file}` };
      if (r.exitCode === 1) return fail(`no line matching ${JSON.stringify(check.pattern)} in ${check.file} yet`);
      return fail(`cannot read ${check.file}: ${lastLine(r.stderr) || `grep exit ${r.exitCode}`}`);
    }
    case 'command': {
      if (r.exitCode === 0) return { check, healthy: true, detail: `${check.argv.join(' ')} exited 0` };
      const why = lastLine(r.stderr) || lastLine(r.stdout);
      return fail(`${check.argv.join(' ')} exited ${r.exitCode ?? r.signal}${why ? `: ${why}` : ''}`);
    }
  }
}

function curlMeaning(code: number | null): string {
  const meanings: Record<number, string> = {
    6: ' (host name not resolved)',
    7: ' (connection refused)',
    28: ' (timed out)',
    35: ' (TLS handshake failed)',
    60: ' (certificate not trusted)',
    127: ' (curl not installed on the host)',
  };
  return code === null ? '' : (meanings[code] ?? '');
}

/**
 * Runs a check on its host. A check that does not answer within its time is a failed check, not a failed host: the
 * health gate polls it again until its deadline, and `status` shows the node failing it (the host did answer).
 */
export async function probeOnHost(
  check: HealthCheck,
  command: RemoteCommand,
  transport: Transport,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  try {
    return interpretRemoteProbe(check, await transport.exec(command, signal));
  } catch (err) {
    if (err instanceof TransportError && err.kind === 'timeout') {
      return { check, healthy: false, detail: `no answer within ${Math.round((command.timeoutMs ?? 0) / 100) / 10} s (${err.message})` };
    }
    throw err;
  }
}
