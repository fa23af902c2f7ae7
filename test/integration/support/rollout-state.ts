/** Rollout state read from the side of lab hosts (not through the tool under test): versions, balancer, request logs. */
import { ECHO_REQUEST_LOG_PREFIX } from '../../../sim/component/sample-api.js';
import { releaseLabel } from '../../support/release-label.js';
import type { TestLab } from './lab.js';
import { countPostIds } from './traffic.js';

/**
 * The release `current` points at, per `host/role`: its version from the release dir name, and the update level the
 * unpacked pack records (updates/lab-update-level) when above 0, as `4.6.0` or `4.6.0.12` (`?…` for anything else).
 */
export async function currentVersions(lab: TestLab, nodes: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of nodes) {
    const [host, role] = n.split('/') as [string, string];
    const [link = '', level = ''] = (await lab.sh(host, `readlink /opt/wso2/${role}/current; cat /opt/wso2/${role}/current/updates/lab-update-level 2>/dev/null; true`)).split('\n');
    const version = /releases\/(\d+\.\d+\.\d+)-/.exec(link)?.[1];
    out[n] = version ? releaseLabel(version, Number(level.trim() || 0)) : `?${link}`;
  }
  return out;
}

/** Servers HAProxy on `lb` does not have in service, `<backend>/<server> op <state> admin <flags>` (its admin socket). */
export async function haproxyHeldOut(lab: TestLab, lb: string): Promise<string[]> {
  const out = await lab.sh(lb, 'echo "show servers state" | socat -t 5 stdio unix-connect:/run/haproxy/admin.sock');
  return out.split('\n').filter((l) => /^\d+ /.test(l)).map((l) => l.split(' '))
    .filter((f) => f[6] !== '0' || f[5] !== '2').map((f) => `${f[1]}/${f[3]} op ${f[5]} admin ${f[6]}`);
}

/** Every request log on a host, one line per answered request (sim/component/sample-api.ts). */
const readRequestLogs = (lab: TestLab, host: string) => lab.sh(host, `cat ${ECHO_REQUEST_LOG_PREFIX}*.log 2>/dev/null; true`);

/** How many times each POST id reached a gateway, from every gateway's request log. */
export async function postDeliveries(lab: TestLab, gateways: readonly string[]): Promise<Map<string, number>> {
  const logs = await Promise.all(gateways.map((g) => readRequestLogs(lab, g)));
  return countPostIds(logs.join('\n'));
}

/** How many requests the sample backend answered on `host`, over all its request logs. */
export async function answeredRequests(lab: TestLab, host: string): Promise<number> {
  return (await readRequestLogs(lab, host)).split('\n').filter((l) => l !== '').length;
}
