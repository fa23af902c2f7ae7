/** Rollout state read from the side of lab hosts (not through the tool under test): versions, balancer, request logs. */
import type { TestLab } from './lab.js';
import { countPostIds } from './traffic.js';

/** The version `current` points at, per `host/role` (`?…` for anything else). */
export async function currentVersions(lab: TestLab, nodes: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of nodes) {
    const [host, role] = n.split('/') as [string, string];
    const link = (await lab.exec(host, ['readlink', `/opt/wso2/${role}/current`])).stdout.trim();
    out[n] = /releases\/(\d+\.\d+\.\d+)-/.exec(link)?.[1] ?? `?${link}`;
  }
  return out;
}

/** Servers HAProxy on `lb` does not have in service, `<backend>/<server> op <state> admin <flags>` (its admin socket). */
export async function haproxyHeldOut(lab: TestLab, lb: string): Promise<string[]> {
  const out = await lab.sh(lb, 'echo "show servers state" | socat -t 5 stdio unix-connect:/run/haproxy/admin.sock');
  return out.split('\n').filter((l) => /^\d+ /.test(l)).map((l) => l.split(' '))
    .filter((f) => f[6] !== '0' || f[5] !== '2').map((f) => `${f[1]}/${f[3]} op ${f[5]} admin ${f[6]}`);
}

/** How many times each POST id reached a gateway, from every gateway's request log (sim/component/sample-api.ts). */
export async function postDeliveries(lab: TestLab, gateways: readonly string[]): Promise<Map<string, number>> {
  const logs = await Promise.all(gateways.map((g) => lab.sh(g, 'cat /opt/wso2/gateway/current/repository/logs/echo-requests.log 2>/dev/null; true')));
  return countPostIds(logs.join('\n'));
}
