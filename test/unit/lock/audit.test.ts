/** The audit log: one JSON line appended locally beside the inventory and on each host (recorded transport). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, auditRecord, localAuditLog, REMOTE_AUDIT_LOG } from '../../../src/lock/audit.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('audit log', () => {
  it('appends who, what, which plan and the outcome, locally and on every host', async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const inventory = join(dir, 'prod.yaml');
    const hosts = [new RecordingTransport('cp-1'), new RecordingTransport('gw-1')];
    const rec = auditRecord({ command: 'upgrade --to 4.6.0', inventory, plan: 'upgrade: 3 of 3 node(s) to 4.6.0', outcome: 'started' });
    expect(await appendAudit(hosts, inventory, rec)).toEqual([]);
    await appendAudit(hosts, inventory, { ...rec, outcome: 'ok' });
    const lines = readFileSync(localAuditLog(inventory), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((l) => l.outcome)).toEqual(['started', 'ok']);
    expect(lines[0]).toMatchObject({ command: 'upgrade --to 4.6.0', plan: 'upgrade: 3 of 3 node(s) to 4.6.0' });
    expect(lines[0]!.who).toMatch(/.+@.+/);
    for (const h of hosts) {
      const execs = h.calls.filter((c) => c.op === 'exec');
      expect(execs).toHaveLength(2);
      expect(execs[0]!.op === 'exec' && execs[0]!.line).toContain(REMOTE_AUDIT_LOG);
      expect(execs[0]!.op === 'exec' && execs[0]!.command.stdin).toBe(`${JSON.stringify(rec)}\n`);
    }
  });
});
