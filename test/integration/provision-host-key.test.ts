/**
 * An unknown SSH host key stops provision before any change: exit 4, the message names the host and
 * `--accept-new-host-keys`, no host was written to (not even the ones whose keys are known), known_hosts is
 * untouched. Pattern 2 on 3 lab hosts; the gateway's key is missing from the known_hosts file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseVars, pathExists, postgres, provisionCli, useLab } from './support/index.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1'];
const lab = useLab({ workspace: 'apim-prov-hostkey', lab: { name: 't-prov-a', names: HOSTS, subnet: '10.213.210.0/24' } });

/** Content of files a provision would change on each host, to compare before and after. */
async function hostSnapshot(): Promise<string[]> {
  return Promise.all(HOSTS.map(async (h) => {
    const written = await Promise.all(['/opt/wso2', '/var/lib/apim-deploy'].map((p) => pathExists(lab, h, p)));
    const confs = await lab.exec(h, ['sh', '-c', 'sha256sum /etc/nginx/nginx.conf /etc/postgresql/15/main/pg_hba.conf 2>&1']);
    return `${h} ${written.join(' ')}\n${confs.stdout}`;
  }));
}

describe('provision with a host key missing from known_hosts', () => {
  it('stops before any change with exit 4, naming the host and --accept-new-host-keys', async () => {
    const gw = lab.address('gw-1');
    const knownHosts = join(lab.ws.dir, 'known_hosts');
    const lines = readFileSync(lab.knownHosts, 'utf8').split('\n');
    const withoutGw = lines.filter((l) => !l.split(' ')[0]!.split(',').some((n) => n === 'gw-1' || n === gw || n === `[${gw}]:22`));
    expect(withoutGw.length).toBeLessThan(lines.length);
    writeFileSync(knownHosts, withoutGw.join('\n'));
    const files = lab.deploy({
      name: 'hostkey', pattern: 2, hosts: { 'aio-1': {}, 'gw-1': {}, 'lb-1': {} },
      roles: { database: ['aio-1'], 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'] },
      vars: baseVars(postgres('aio-1')), defaults: { known_hosts: knownHosts },
    });
    const before = await hostSnapshot();

    const run = await provisionCli(files.inventory);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('gw-1');
    expect(run.stderr).toContain('--accept-new-host-keys');
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(run.stderr).not.toMatch(/aio-1|lb-1/); // only the host with the problem is named
    expect(run.events.filter((e) => e.type === 'step-start')).toEqual([]);

    const after = await hostSnapshot();
    expect(after).toEqual(before);
    for (const line of after) expect(line).toMatch(/^\S+ false false\n/);
    expect(readFileSync(knownHosts, 'utf8')).toBe(withoutGw.join('\n'));
  }, 60_000);
});
