import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Transport } from '../transport/transport.js';
import { whoAmI } from './holder.js';

export const REMOTE_AUDIT_LOG = '/var/log/apim-deploy/audit.log';

/** One line of the audit log: who did what, with which plan, and how it ended. */
export interface AuditRecord {
  readonly at: string;
  readonly who: string;
  readonly command: string;
  readonly inventory: string;
  /** Short summary of the plan: `upgrade 4.5.0 → 4.6.0: 7 nodes in 6 batches`. */
  readonly plan: string;
  readonly outcome: 'started' | 'ok' | 'failed' | 'interrupted' | 'rolled-back' | 'refused' | 'took-over';
  readonly detail?: string;
}

export const localAuditLog = (inventoryFile: string): string => join(dirname(inventoryFile), '.apim-deploy', 'audit.log');

export function auditRecord(fields: Omit<AuditRecord, 'at' | 'who'>, now: Date = new Date()): AuditRecord {
  return { at: now.toISOString(), who: whoAmI(), ...fields };
}

const appendCommand = (line: string) => ({
  argv: ['sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat >> "$1"', 'audit', REMOTE_AUDIT_LOG],
  stdin: line,
});

/**
 * Appends the record on every given host and beside the inventory (`.apim-deploy/audit.log`). Best effort:
 * an audit line that cannot be written is returned as a warning, never stops the run.
 */
export async function appendAudit(transports: Iterable<Transport>, inventoryFile: string, record: AuditRecord): Promise<string[]> {
  const line = `${JSON.stringify(record)}\n`;
  const warnings: string[] = [];
  const local = localAuditLog(inventoryFile);
  const jobs = [...transports].map(async (t) => {
    try {
      const r = await t.exec(appendCommand(line));
      if (r.exitCode !== 0) warnings.push(`${t.host}: audit log not written: ${r.stderr.trim()}`);
    } catch (err) {
      warnings.push(`${t.host}: audit log not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  jobs.push((async () => {
    try {
      await mkdir(dirname(local), { recursive: true });
      await appendFile(local, line);
    } catch (err) {
      warnings.push(`${local}: audit log not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  })());
  await Promise.all(jobs);
  return warnings;
}
