/**
 * Issue 16 items 9, 10 and 11 through the real CLI against a lab host (pattern 0, one all-in-one node, logged in
 * as deploy with sudo as every lab host is): a known_hosts line under the inventory's host name alone vouches for
 * nothing (exit 4 before any change), the address dialled does; a saved plan is 0600 and carries no plain sha256 of
 * a secret-bearing file; a saved plan whose step was edited is refused (exit 3) naming the step and field, and the
 * edited command never runs. (An untouched saved plan applying is in dry-run.test.ts.)
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { privateFileDigests } from '../fixtures/hostile-inventory.js';
import { baseVars, runCli, useLab, type DeploymentFiles } from './support/index.js';

const lab = useLab({ workspace: 'apim-hostile-trust', lab: { name: 't-hostile-b', names: ['aio-1'], subnet: '10.213.217.0/24' } });
let files: DeploymentFiles;

const deploy = (knownHosts?: string): DeploymentFiles => lab.deploy({
  name: 'trust', pattern: 0, hosts: { 'aio-1': {} }, roles: { 'all-in-one': ['aio-1'] }, vars: baseVars({ type: 'h2' }),
  ...(knownHosts ? { defaults: { known_hosts: knownHosts } } : {}),
});

/** What a run could have changed on the host: /opt, the state dir and the marker the edited step would touch. */
const hostState = () => lab.sh('aio-1', 'ls -A /opt; ls -A /var/lib/apim-deploy 2>/dev/null; test -e /tmp/edited-plan-ran && echo RAN; true');

beforeAll(() => {
  files = deploy();
}, 180_000);

describe('issue 16 through the CLI on a lab host', () => {
  it('item 9: the host key filed under the host\'s name alone is not trusted (exit 4, nothing changed); under the address dialled it is', async () => {
    const address = lab.address('aio-1');
    const keys = readFileSync(lab.knownHosts, 'utf8').split('\n').filter((l) => l.split(' ')[0]!.split(',').includes(address))
      .map((l) => l.split(' ').slice(1).join(' '));
    expect(keys.length, 'the lab files each host key under its address').toBeGreaterThan(0);
    const filed = (name: string) => keys.map((k) => `${name} ${k}\n`).join('');
    const byName = join(lab.ws.dir, 'known_hosts.by-name');
    writeFileSync(byName, filed('aio-1'));
    const before = await hostState();
    const refused = await runCli(['plan', '-i', deploy(byName).inventory]);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain('aio-1');
    expect(refused.stderr).toContain('--accept-new-host-keys');
    expect(readFileSync(byName, 'utf8')).toBe(filed('aio-1'));
    expect(await hostState()).toBe(before);

    const byAddress = join(lab.ws.dir, 'known_hosts.by-address');
    writeFileSync(byAddress, filed(address));
    const trusted = await runCli(['plan', '-i', deploy(byAddress).inventory]);
    expect(trusted.code, trusted.stderr).toBe(0);
    files = deploy();
  }, 180_000);

  it('item 10: a saved plan is 0600 and holds HMACs, never the sha256 of a file that holds a secret', async () => {
    const out = join(lab.ws.dir, 'rendered');
    const rendered = await runCli(['render', '-i', files.inventory, '--out', out]);
    expect(rendered.code, rendered.stderr).toBe(0);
    const secretDigests = privateFileDigests(out);
    expect(secretDigests.length).toBeGreaterThan(0);
    const planFile = join(lab.ws.dir, 'sealed.json');
    const saved = await runCli(['plan', '-i', files.inventory, '--out', planFile]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(statSync(planFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(planFile, 'utf8');
    for (const d of secretDigests) expect(text + saved.stdout).not.toContain(d.slice(0, 12));
    expect(text).toMatch(/"sha256": ?"hmac:[0-9a-f]{64}"/);
  }, 180_000);

  it('item 11: a saved plan whose step command was edited is refused with exit 3, naming the step and field; the edit never runs', async () => {
    const planFile = join(lab.ws.dir, 'plan.json');
    const saved = await runCli(['plan', '-i', files.inventory, '--out', planFile]);
    expect(saved.code, saved.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(planFile, 'utf8')) as { plan: { waves: { steps: Record<string, unknown>[] }[] } };
    const step = doc.plan.waves.flatMap((w) => w.steps).find((s) => Array.isArray(s['argv']));
    expect(step, 'the fresh plan has a step with a command').toBeDefined();
    step!['argv'] = ['sh', '-c', 'touch /tmp/edited-plan-ran'];
    writeFileSync(planFile, JSON.stringify(doc, null, 2), { mode: 0o600 });
    const before = await hostState();

    const run = await runCli(['provision', '-i', files.inventory, '--plan', planFile]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/is not what the inventory plans now.*nothing was changed/s);
    expect(run.stderr).toContain(`step ${String(step!['id'])}: argv is`);
    expect(await hostState()).toBe(before);
    expect(before).not.toContain('RAN');
  }, 180_000);
});
