/**
 * Issue 13, thin controller link: a lab whose controller link is capped (`lab up --controller-mbit`), and the peer
 * copy over real SSH as the lab's enterprise VMs are reached (deploy + sudo, no root login): one upload from the
 * controller, the other hosts copy from a peer, each verified by sha256; a host holding it already is the seed and
 * nothing crosses the controller link; nothing is left on either side (no key in
 * deploy's authorized_keys, no temp directory or half file); a source that is corrupt or lacks the file makes each
 * receiver fall back to the controller, and the run says so. Speed is the benchmark's business (bench/peer-copy.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { executePlan } from '../../src/executor/index.js';
import { controllerCap, controllerTxBytes } from '../../src/lab/hosts/index.js';
import type { HostSpec } from '../../src/model/inventory.js';
import { PLAN_FORMAT, type Plan, type Step, type StepOf } from '../../src/model/plan.js';
import { holderKey, PEER_COPY_MIN_BYTES, withPeerCopies } from '../../src/planner/peer-copy.js';
import { closeAll, openTransports, type TransportMap } from '../../src/transport/open.js';
import type { Transport } from '../../src/transport/transport.js';
import { startLab, type TestLab } from './support/index.js';

const HOSTS = ['s1', 'r1', 'r2', 'r3'];
const DIR = '/opt/wso2/.artifacts';
const SIZE = PEER_COPY_MIN_BYTES + 4 * 1024 * 1024;
let lab: TestLab;
let map: TransportMap;
let specs: Map<string, HostSpec>;
let local: string;
let sha: string;
let work: string;

beforeAll(async () => {
  lab = await startLab({ name: 't-i13p', names: HOSTS, subnet: '10.213.208.0/24', controllerMbit: 100 });
  specs = new Map(HOSTS.map((h) => [h, {
    name: h, address: lab.address(h), connection: 'ssh', port: 22, sshKey: lab.sshKey, knownHosts: lab.knownHosts, user: 'deploy',
    become: { method: 'sudo', user: 'root' }, roles: ['gateway'], pos: { file: 'test', line: 1, col: 1 },
  } as HostSpec]));
  map = await openTransports([...specs.values()], { sshConfig: false, connectAttempts: 2 });
  for (const h of HOSTS) if (!(map.get(h) && !(map.get(h) instanceof TransportError))) throw new Error(`no transport for ${h}`);
  work = mkdtempSync(join(tmpdir(), 'apim-peer-'));
  local = join(work, 'gw.zip');
  const bytes = randomBytes(SIZE);
  writeFileSync(local, bytes);
  sha = createHash('sha256').update(bytes).digest('hex');
}, 180_000);

afterAll(async () => {
  if (map) await closeAll(map);
  if (work) rmSync(work, { recursive: true, force: true });
  await lab?.down();
}, 120_000);

const transports = (): Map<string, Transport> => new Map(HOSTS.map((h) => [h, map.get(h) as Transport]));
const base = { reason: 'not on host', certainty: 'certain' as const };
const dirStep = (h: string): Step => ({ ...base, id: `${h}/ensure-dir/dist`, host: h, kind: 'ensure-dir', after: [], paths: [DIR], mode: '0755', owner: 'root:root' });
const upload = (h: string): StepOf<'upload-artifact'> => ({
  ...base, id: `${h}/upload-artifact/gw`, host: h, kind: 'upload-artifact', after: [`${h}/ensure-dir/dist`], localPath: local, path: `${DIR}/gw.zip`,
  sha256: sha, size: SIZE, mode: '0644',
});
const planOf = (steps: Step[]): Plan => ({
  format: PLAN_FORMAT, inventory: '/lab.yaml', apimVersion: '4.6.0', createdAt: 'now', factsFingerprint: {}, unchanged: [],
  waves: withPeerCopies([{ label: 'stage', steps }], specs),
});
const shaOn = async (h: string) => (await lab.sh(h, `sha256sum < ${DIR}/gw.zip || true`)).split(' ')[0];

/** Anything a peer copy could leave behind on a host: a key line, a key directory, a half-copied file. */
async function leftovers(h: string): Promise<string> {
  return (await lab.sh(h, [
    'grep -c apim-deploy-peer /home/deploy/.ssh/authorized_keys || true',
    'ls -d /tmp/apim-peer.* 2>/dev/null || true',
    `ls ${DIR} | grep apim-peer || true`,
  ].join('; '))).trim();
}

describe('thin controller link (issue 13)', () => {
  it('lab up --controller-mbit puts the cap on the lab bridge, as tc shows it', async () => {
    expect(lab.state.controllerMbit).toBe(100);
    expect(await controllerCap(lab.state.bridge)).toEqual({ mbit: 100 });
  });

  it('one upload crosses the controller link; three hosts copy from the seed as deploy + sudo; right bytes everywhere, nothing left', async () => {
    const plan = planOf(HOSTS.flatMap((h) => [dirStep(h), upload(h)]));
    expect(plan.waves[0]!.steps.filter((s) => s.kind === 'peer-fetch').map((s) => s.host)).toEqual(['r1', 'r2', 'r3']);
    const before = await controllerTxBytes(lab.state.bridge);
    const result = await executePlan(plan, { transports: transports(), contents: new Map() });
    const sent = (await controllerTxBytes(lab.state.bridge)) - before;
    expect(result.steps.filter((s) => s.status === 'failed')).toEqual([]);
    for (const s of result.steps.filter((x) => x.kind === 'peer-fetch')) {
      expect(s).toMatchObject({ status: 'changed', reason: 'not on host: copied from s1', warnings: [] });
    }
    for (const h of HOSTS) expect(await shaOn(h), h).toBe(sha);
    // The artifact went through the capped link once (plus SSH framing and the commands), not four times.
    expect(sent).toBeGreaterThan(SIZE);
    expect(sent).toBeLessThan(1.5 * SIZE);
    for (const h of HOSTS) expect(await leftovers(h), h).toBe('0');
  }, 300_000);

  it('a second run finds every copy in place and changes nothing', async () => {
    const result = await executePlan(planOf(HOSTS.flatMap((h) => [dirStep(h), upload(h)])), { transports: transports(), contents: new Map() });
    expect(result.steps.filter((s) => s.kind === 'peer-fetch').map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  }, 120_000);

  it('a host that holds the artifact already (not in the plan) is the seed: the receivers copy from it and nothing crosses the controller link', async () => {
    const receivers = ['r1', 'r2', 'r3'];
    for (const h of receivers) await lab.sh(h, `rm -f ${DIR}/gw.zip ${DIR}/gw.zip.apim-sha256`);
    const holders = new Map([[holderKey(undefined, sha, `${DIR}/gw.zip`), ['s1']]]);
    const plan: Plan = { ...planOf([]), waves: withPeerCopies([{ label: 'stage', steps: receivers.flatMap((h) => [dirStep(h), upload(h)]) }], specs, holders) };
    expect(plan.waves[0]!.steps.filter((s) => s.kind === 'upload-artifact')).toEqual([]);
    const before = await controllerTxBytes(lab.state.bridge);
    const result = await executePlan(plan, { transports: transports(), contents: new Map() });
    const sent = (await controllerTxBytes(lab.state.bridge)) - before;
    expect(result.steps.filter((s) => s.status === 'failed')).toEqual([]);
    for (const s of result.steps.filter((x) => x.kind === 'peer-fetch')) expect(s).toMatchObject({ status: 'changed', reason: 'not on host: copied from s1', warnings: [] });
    for (const h of HOSTS) expect(await shaOn(h), h).toBe(sha);
    console.log(`controller link: ${sent} bytes for three copies of ${SIZE} bytes from a holder`);
    expect(sent, 'only commands and SSH framing cross the controller link').toBeLessThan(0.1 * SIZE);
    for (const h of HOSTS) expect(await leftovers(h), h).toBe('0');
  }, 300_000);

  it('the receiver pins the source\'s host key as the controller verified it: a source presenting another is refused, and the controller uploads instead', async () => {
    const verified = (map.get('s1') as Transport).hostKey;
    expect(verified).toMatch(/^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) [A-Za-z0-9+/=]+$/);
    expect(readFileSync(lab.knownHosts, 'utf8')).toContain(verified!.split(' ')[1]);
    // The controller "verified" another key for s1 than s1 has: its sshd presents its own, which the receiver refuses.
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'other-host-key')]);
    const other = readFileSync(join(work, 'other-host-key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const real = map.get('s1') as Transport;
    const misled = new Proxy(real, { get: (t, p) => (p === 'hostKey' ? other : typeof Reflect.get(t, p) === 'function' ? (Reflect.get(t, p) as (...a: unknown[]) => unknown).bind(t) : Reflect.get(t, p)) });
    const receivers = ['r1', 'r2', 'r3'];
    for (const h of receivers) await lab.sh(h, `rm -f ${DIR}/gw.zip ${DIR}/gw.zip.apim-sha256`);
    const holders = new Map([[holderKey(undefined, sha, `${DIR}/gw.zip`), ['s1']]]);
    const plan: Plan = { ...planOf([]), waves: withPeerCopies([{ label: 'stage', steps: receivers.flatMap((h) => [dirStep(h), upload(h)]) }], specs, holders) };
    const result = await executePlan(plan, { transports: new Map([...transports(), ['s1', misled]]), contents: new Map() });
    const copies = result.steps.filter((x) => x.kind === 'peer-fetch');
    expect(copies.map((x) => x.host)).toEqual(receivers);
    for (const c of copies) {
      expect(c.status).toBe('changed');
      expect(c.warnings, c.host).toEqual([expect.stringMatching(/^peer copy from s1 failed \(.*Host key verification failed\.?\): uploaded from the controller instead$/)]);
    }
    for (const h of HOSTS) expect(await shaOn(h), h).toBe(sha);
    for (const h of HOSTS) expect(await leftovers(h), h).toBe('0');
  }, 300_000);

  for (const [fault, spoil, why] of [
    ['corrupt', `head -c 1000 /dev/zero >> ${DIR}/gw.zip`, /the copy from s1 is corrupt: sha256 [0-9a-f]{12}, expected/],
    ['missing', `rm -f ${DIR}/gw.zip ${DIR}/gw.zip.apim-sha256`, /copying from s1 failed .*No such file/],
  ] as const) {
    it(`a source whose copy is ${fault}: every receiver falls back to the controller and says why; right bytes, nothing left`, async () => {
      for (const h of ['r1', 'r2', 'r3']) await lab.sh(h, `rm -f ${DIR}/gw.zip ${DIR}/gw.zip.apim-sha256`);
      await lab.sh('s1', spoil);
      // The seed's upload ran in an earlier run: this one holds only the copies, from the spoiled source.
      const fetches = planOf(HOSTS.flatMap((h) => [dirStep(h), upload(h)])).waves[0]!.steps.filter((s) => s.kind === 'peer-fetch' || s.kind === 'ensure-dir')
        .map((s) => ({ ...s, awaits: [] }));
      const result = await executePlan({ ...planOf([]), waves: [{ label: 'stage', steps: fetches.filter((s) => s.host !== 's1') }] }, { transports: transports(), contents: new Map() });
      const copies = result.steps.filter((s) => s.kind === 'peer-fetch');
      expect(copies).toHaveLength(3);
      for (const s of copies) {
        expect(s.status).toBe('changed');
        expect(s.warnings).toEqual([expect.stringMatching(/^peer copy from s1 failed \(.*\): uploaded from the controller instead$/)]);
        expect(s.warnings[0]).toMatch(why);
      }
      for (const h of ['r1', 'r2', 'r3']) expect(await shaOn(h), h).toBe(sha);
      for (const h of HOSTS) expect(await leftovers(h), h).toBe('0');
      await lab.sh('s1', `rm -f ${DIR}/gw.zip ${DIR}/gw.zip.apim-sha256`);
    }, 300_000);
  }

  it('lab reboot keeps the cap: the host comes back, and so does the lab as it was brought up', async () => {
    const { labReboot } = await import('../../src/lab/hosts/index.js');
    const state = await labReboot({ name: 't-i13p', projectRoot: (await import('./support/index.js')).REPO_ROOT, hosts: ['r1'] });
    expect(state.controllerMbit).toBe(100);
    expect(await controllerCap(state.bridge)).toEqual({ mbit: 100 });
  }, 120_000);

  it('lab up without --controller-mbit removes the cap', async () => {
    const { labUp } = await import('../../src/lab/hosts/index.js');
    const state = await labUp({ name: 't-i13p', projectRoot: (await import('./support/index.js')).REPO_ROOT, names: HOSTS, subnet: '10.213.208.0/24' });
    expect(state.controllerMbit).toBeUndefined();
    expect(await controllerCap(state.bridge)).toBeUndefined();
  }, 120_000);
});
