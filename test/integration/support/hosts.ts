/** Looking at provisioned lab hosts from the side: PIDs and files. */
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
