import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/errors.js';
import { HOST_PROBE_SCRIPT } from '../../../src/facts/index.js';
import { releasesCommand } from '../../../src/workflows/rollout/releases.js';
import { formatPlan, planDocumentJson } from '../../../src/ui/index.js';
import { applySavedPlan } from '../../../src/workflows/apply-plan.js';
import { dryRun, dryRunExitCode, previewStep, stepMutates, type DryRunResult } from '../../../src/workflows/plan.js';
import { readSavedPlan, writeSavedPlan } from '../../../src/workflows/saved-plan/plan-file.js';
import { DB_PASSWORD, NEW_ADMIN, OLD_ADMIN, workspace, type Workspace } from './inventory.js';
import { FakeHost, fakeConnections } from './fake-hosts.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1'];
let ws: Workspace;

beforeAll(async () => {
  ws = await workspace();
}, 60_000);
afterAll(() => ws.remove());

const freshHosts = () => new Map(HOSTS.map((h) => [h, new FakeHost(h)]));
const print = (r: DryRunResult) =>
  formatPlan({ plan: r.plan, preview: previewStep, contents: r.contents, unreachable: r.unreachable, mutates: stepMutates, problems: r.problems, secrets: r.secrets }).join('\n');
const writes = (hosts: Map<string, FakeHost>) => [...hosts.values()].flatMap((h) => h.calls.filter((c) => c.op === 'put' || c.op === 'putFile'));

/** Hosts as a finished provision leaves them with the current inventory. */
async function convergedHosts(): Promise<Map<string, FakeHost>> {
  const fresh = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(freshHosts()) });
  const hosts = freshHosts();
  for (const h of hosts.values()) h.converge(fresh.plan, fresh.contents);
  return hosts;
}

describe('dry run over read-only hosts', () => {
  it('fresh hosts: every host to install, exit 2 with --detailed-exitcode, and nothing but reads on any host', async () => {
    ws.write();
    const hosts = freshHosts();
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
    expect(r.changesPending).toBe(true);
    expect(dryRunExitCode(r, true)).toBe(2);
    expect(dryRunExitCode(r, false)).toBe(0);
    const text = print(r);
    for (const h of HOSTS) expect(text).toMatch(new RegExp(`^${h}$`, 'm'));
    expect(text).not.toMatch(/no changes/);
    expect(text).toMatch(/start all-in-one: not running/);
    expect(writes(hosts)).toEqual([]);
    // Only the batched probe and the roles' status commands ran (anything else would have thrown).
    const programs = new Set([...hosts.values()].flatMap((h) => h.calls.flatMap((c) => (c.op === 'exec' ? [String(c.command.argv[0])] : []))));
    expect([...programs].sort()).toEqual(['pg_ctlcluster', 'sh', 'start-stop-daemon']);
  });

  it('converged hosts: one line each, no changes, exit 0 although health verifications remain in the plan', async () => {
    ws.write();
    const hosts = await convergedHosts();
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
    expect(r.plan.waves.flatMap((w) => w.steps).map((s) => s.kind)).toContain('wait-healthy');
    expect(r.changesPending).toBe(false);
    expect(dryRunExitCode(r, true)).toBe(0);
    expect(print(r).split('\n')).toEqual([
      'aio-1: no changes (everything up to date)', 'gw-1: no changes (everything up to date)', 'lb-1: no changes (everything up to date)',
      'No changes pending (4 read-only check(s) would run).',
    ]);
    expect(writes(hosts)).toEqual([]);
    // The version gate reads each node's release from the probe's links, not by a second round trip per host.
    const listing = String(releasesCommand([]).argv[2]);
    for (const h of hosts.values()) {
      const scripts = h.calls.flatMap((c) => (c.op === 'exec' && c.command.argv[0] === 'sh' ? [String(c.command.argv[2])] : []));
      expect(scripts.filter((s) => s === HOST_PROBE_SCRIPT)).toHaveLength(1);
      expect(scripts).not.toContain(listing);
    }
  });

  it('one host variable edited: only that host changes, with a unified diff of the file read from the host', async () => {
    ws.write();
    const hosts = await convergedHosts();
    ws.write({ gwVars: 'jvm_heap: 384m' });
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
    const changed = new Set(r.plan.waves.flatMap((w) => w.steps).filter(stepMutates).map((s) => s.host));
    expect([...changed]).toEqual(['gw-1']);
    const text = print(r);
    expect(text).toContain("-JVM_MEM_OPTS='-Xms256m -Xmx256m'\n      +JVM_MEM_OPTS='-Xms384m -Xmx384m'");
    expect(text).toMatch(/stop gateway \(.*\): restart: \/opt\/wso2\/gateway\/wso2.env changed/);
    expect(text).toContain('aio-1: no changes (everything up to date)');
    expect(hosts.get('gw-1')!.calls.some((c) => c.op === 'read' && c.path === '/opt/wso2/gateway/wso2.env')).toBe(true);
    expect(writes(hosts)).toEqual([]);
  });

  it('a secret changed: keys as ***, never the old or new value, in text or JSON', async () => {
    ws.write();
    const hosts = await convergedHosts();
    ws.write({ admin: NEW_ADMIN });
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
    const text = print(r);
    const json = planDocumentJson({ plan: r.plan, preview: previewStep, contents: r.contents, mutates: stepMutates, secrets: r.secrets });
    expect(text).toMatch(/\[super_admin\] password: changed \(\*\*\* → \*\*\*\)/);
    expect(JSON.parse(json).previews).toBeTypeOf('object');
    for (const out of [text, json]) for (const secret of [OLD_ADMIN, NEW_ADMIN, DB_PASSWORD]) expect(out).not.toContain(secret);
  });

  it('an unreachable host is planned as fresh, marked, and makes the dry run exit 1', async () => {
    ws.write();
    const hosts = await convergedHosts();
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts, ['lb-1']) });
    expect(dryRunExitCode(r, true)).toBe(1);
    const text = print(r);
    expect(text).toContain('lb-1  (UNREACHABLE: connect ECONNREFUSED; shown from the inventory alone)');
    expect(text).toMatch(/create \/etc\/nginx\/nginx.conf/);
    expect(text).toContain('gw-1: no changes (everything up to date)');
  });

  it('--limit plans and connects only matching hosts', async () => {
    ws.write({ gwVars: 'jvm_heap: 384m' });
    const hosts = freshHosts();
    const r = await dryRun({ inventory: ws.inventory, limit: 'gw-*', openConnections: fakeConnections(hosts) });
    expect(new Set(r.plan.waves.flatMap((w) => w.steps).map((s) => s.host))).toEqual(new Set(['gw-1']));
    expect(Object.keys(r.plan.factsFingerprint)).toEqual(['gw-1']);
    expect(hosts.get('aio-1')!.calls).toEqual([]);
    // The gateway does not wait for the all-in-one's health gate: it is outside the limit, assumed in place.
    for (const s of r.plan.waves.flatMap((w) => w.steps)) for (const dep of s.after) expect(dep.startsWith('gw-1/')).toBe(true);
  });

  it('a saved plan is refused, touching nothing, when a host changed behind our back', async () => {
    ws.write();
    const hosts = await convergedHosts();
    ws.write({ gwVars: 'jvm_heap: 384m' });
    const r = await dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
    const file = join(ws.dir, 'plan.json');
    writeSavedPlan(file, r);
    expect(readSavedPlan(file).plan).toEqual(r.plan);
    hosts.get('lb-1')!.seedFile('/etc/nginx/nginx.conf', '# hand edit\n');
    const before = hosts.get('gw-1')!.calls.length;
    const refused = applySavedPlan({ inventory: ws.inventory, planFile: file, openConnections: fakeConnections(hosts) });
    await expect(refused).rejects.toThrow(RemoteError);
    await expect(refused).rejects.toThrow(/1 host\(s\) changed since the plan was made/);
    await expect(refused).rejects.toMatchObject({ host: 'lb-1' });
    // The refusal names the fact: the file, and its sha256 in the plan and now.
    await expect(refused).rejects.toMatchObject({ detail: expect.stringMatching(/^ {2}lb-1: file \/etc\/nginx\/nginx\.conf: sha256 [0-9a-f]{12} → sha256 [0-9a-f]{12}$/) });
    expect(writes(hosts)).toEqual([]);
    expect(hosts.get('gw-1')!.calls.slice(before).every((c) => c.op === 'exec' || c.op === 'read')).toBe(true);
  });
});
