/** Looking at provisioned lab hosts from the side: PIDs, files, HTTP from the controller. */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { TestLab } from './lab.js';

/** Where a WSO2 role's PID file is with the default install dir (`/opt/wso2/<role>/current/wso2carbon.pid`). */
export const wso2PidFile = (role: string, installDir = '/opt/wso2'): string => `${installDir}/${role}/current/wso2carbon.pid`;

/** The PID in a file on a host, or null when the file is absent or empty. */
export async function readPid(lab: TestLab, host: string, pidFile: string): Promise<number | null> {
  const r = await lab.exec(host, ['cat', '--', pidFile]);
  const pid = Number.parseInt(r.stdout.trim(), 10);
  return r.code === 0 && Number.isInteger(pid) ? pid : null;
}

/** PIDs of the WSO2 nodes `host/role` (e.g. `gw-1/gateway`), in one object for `toEqual` comparisons. */
export async function wso2Pids(lab: TestLab, nodes: readonly string[]): Promise<Record<string, number | null>> {
  const pids = await Promise.all(nodes.map((n) => {
    const [host, role] = n.split('/') as [string, string];
    return readPid(lab, host, wso2PidFile(role));
  }));
  return Object.fromEntries(nodes.map((n, i) => [n, pids[i]!]));
}

/** True when the path exists on the host. */
export async function pathExists(lab: TestLab, host: string, path: string): Promise<boolean> {
  return (await lab.exec(host, ['test', '-e', path])).code === 0;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** GET from the controller; TLS certificates are not checked (the lab's are self-signed). */
export function httpGet(url: string, timeoutMs = 5_000): Promise<HttpAnswer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
