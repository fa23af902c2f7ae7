import type { HealthCheck } from './health.js';

/** One line per check, for dry runs, errors and progress: "GET https://gw-1:9443/... from host, expect 200". */
export function describeCheck(check: HealthCheck): string {
  switch (check.kind) {
    case 'http': {
      const body = check.bodyContains === undefined ? '' : ` containing ${JSON.stringify(check.bodyContains)}`;
      const tls = check.insecureTls && check.url.startsWith('https:') ? ', self-signed TLS accepted' : '';
      return `GET ${check.url} from ${check.from}, expect ${check.expectStatus.join('|')}${body}${tls}`;
    }
    case 'tcp':
      return `TCP ${check.host}:${check.port} from ${check.from ?? 'controller'}`;
    case 'log':
      return `log ${check.file} has a line matching ${JSON.stringify(check.pattern)}`;
    case 'command':
      return `command ${check.argv.join(' ')} exits 0`;
  }
}
