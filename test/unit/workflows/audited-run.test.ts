/**
 * auditedRun's trail: on the lock host the `started` and outcome lines ride on the commands that take and give back
 * the deploy lock (one command each); the other hosts the run may change, and the copy beside the inventory, get
 * their own appends. Recorded transports: what each host was sent, in order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localAuditLog, REMOTE_AUDIT_LOG } from '../../../src/lock/audit.js';
import { lockHost } from '../../../src/lock/deploy-lock.js';
import { HELD_EXIT } from '../../../src/lock/lock-commands.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { auditedRun } from '../../../src/workflows/run/locked-run.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { loadExample } from '../render/examples.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

async function deployment() {
  dir = mkdtempSync(join(tmpdir(), 'audited-run-'));
  const example = await loadExample('pattern-2');
  const inventory: Inventory = { ...example, file: join(dir, 'p2.yaml') };
  const hosts = new Map(inventory.hosts.map((h) => [h.name, new RecordingTransport(h.name)]));
  const ctx = {
    inventory, transports: hosts,
    open: async () => { throw new Error('every host is connected'); },
  };
  return { ctx, hosts, lock: lockHost(inventory), others: inventory.hosts.map((h) => h.name).filter((h) => h !== lockHost(inventory)) };
}

const outcomes = (text: string) => text.split('\n').filter((l) => l.startsWith('{') && l.includes('"outcome"')).map((l) => (JSON.parse(l) as { outcome: string }).outcome);
const execs = (t: RecordingTransport) => t.calls.flatMap((c) => (c.op === 'exec' ? [c] : []));
const localOutcomes = (inventory: Inventory) => outcomes(readFileSync(localAuditLog(inventory.file), 'utf8'));

describe('auditedRun', () => {
  it('the lock host records the run in the lock\'s own two commands; a host the run may change gets its lines; one it only reads none', async () => {
    const { ctx, hosts, lock, others } = await deployment();
    const [changed, ...untouched] = others;
    const result = await auditedRun(ctx, { command: 'provision', notice: () => {}, auditHosts: new Set([changed!]) }, 'provision: 1 changed', async () => {
      expect(execs(hosts.get(lock)!)).toHaveLength(1);
      return { exitCode: 0 };
    });
    expect(result.exitCode).toBe(0);
    const [take, give] = execs(hosts.get(lock)!);
    expect(execs(hosts.get(lock)!)).toHaveLength(2);
    expect(take!.line).toContain('deploy.lock');
    expect(take!.command.argv).toContain(REMOTE_AUDIT_LOG);
    expect(outcomes(take!.command.stdin!.toString())).toEqual(['started']);
    expect(give!.line).toContain('deploy-unlock');
    expect(give!.command.argv).toContain(REMOTE_AUDIT_LOG);
    expect(outcomes(give!.command.stdin!.toString())).toEqual(['ok']);
    expect(execs(hosts.get(changed!)!).map((e) => outcomes(e.command.stdin!.toString()))).toEqual([['started'], ['ok']]);
    for (const h of untouched) expect(execs(hosts.get(h)!)).toEqual([]);
    expect(localOutcomes(ctx.inventory)).toEqual(['started', 'ok']);
  });

  it('a run that throws is recorded as failed, with the error, in the command that gives back the lock', async () => {
    const { ctx, hosts, lock } = await deployment();
    await expect(auditedRun(ctx, { command: 'provision', notice: () => {}, auditHosts: new Set() }, 'plan', async () => { throw new Error('gw-1 unreachable'); }))
      .rejects.toThrow('gw-1 unreachable');
    const give = execs(hosts.get(lock)!).at(-1)!;
    expect(give.line).toContain('deploy-unlock');
    expect(give.command.stdin!.toString()).toMatch(/"outcome":"failed","detail":"gw-1 unreachable"/);
    expect(localOutcomes(ctx.inventory)).toEqual(['started', 'failed']);
  });

  it('a stale lock taken over: the take-over command records whose it was, then the start; the controller\'s copy says so too', async () => {
    const { ctx, hosts, lock } = await deployment();
    const stale = { token: 'dead-run', owner: 'ops@elsewhere', command: 'upgrade', pid: 1, startedAt: 'x', inventory: 'i', controller: 'elsewhere', leaseMs: 60_000 };
    hosts.get(lock)!.on(/deploy-lock /, { exitCode: HELD_EXIT, stdout: `${JSON.stringify(stale)}\napim-deploy-lock-age-s 600\n` }, { once: true });
    const notices: string[] = [];
    await auditedRun(ctx, { command: 'provision', notice: (n) => notices.push(n), auditHosts: new Set() }, 'plan', async () => ({ exitCode: 0 }));
    const takeOver = execs(hosts.get(lock)!).find((e) => e.line.includes('deploy-lock-take-over'))!;
    expect(takeOver.command.argv).toContain(REMOTE_AUDIT_LOG);
    expect(outcomes(takeOver.command.stdin!.toString())).toEqual(['took-over', 'started']);
    expect(takeOver.command.stdin!.toString()).toContain('took over the deploy lock from ops@elsewhere (pid 1)');
    expect(notices).toEqual([expect.stringMatching(/^took over the deploy lock from ops@elsewhere .*lease ran out/)]);
    expect(localOutcomes(ctx.inventory)).toEqual(['took-over', 'started', 'ok']);
    // No line of its own for the take-over on the lock host: acquire, take over, release.
    expect(execs(hosts.get(lock)!)).toHaveLength(3);
  });
});
