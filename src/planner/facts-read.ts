import type { HostName } from '../model/inventory.js';
import type { HostState } from './inputs.js';

/**
 * The facts a plan was computed from, one line per fact (`file /etc/nginx/nginx.conf` → `sha256 4ff9df31c589`),
 * the same facts the fingerprint digests: a refused saved plan can say what changed, not only where.
 */
export function factsRead(state: HostState): Record<string, string> {
  const f = state.facts;
  const out: Record<string, string> = {};
  for (const [path, sha] of Object.entries(f.files)) out[`file ${path}`] = sha === null ? 'absent' : `sha256 ${sha.slice(0, 12)}`;
  for (const path of f.unreadable) out[`file ${path}`] = 'unreadable';
  for (const [path, target] of Object.entries(f.links)) out[`link ${path}`] = target === null ? 'absent' : `→ ${target}`;
  for (const [path, pid] of Object.entries(f.pids)) out[`pid file ${path}`] = 'pid' in pid ? `${pid.state} (pid ${pid.pid})` : pid.state;
  for (const [path, present] of Object.entries(f.markers)) out[`marker ${path}`] = present ? 'present' : 'absent';
  for (const [role, running] of Object.entries(state.serviceRunning)) out[`service ${role}`] = running ? 'running' : 'stopped';
  out['os'] = f.os ? JSON.stringify(f.os) : 'unknown';
  out['arch'] = f.arch;
  return out;
}

/** `  lb-1: file /etc/nginx/nginx.conf: sha256 4ff9df31c589 → sha256 9f8e7d6c5b4a`, for each fact that differs. */
export function changedFacts(host: HostName, before: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return keys.filter((k) => before[k] !== now[k]).map((k) => `${host}: ${k}: ${before[k] ?? 'not read'} → ${now[k] ?? 'not read'}`);
}
