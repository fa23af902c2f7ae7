/**
 * `apim-deploy status` for people: a table (host, role, release, pid, health, config), what is wrong with each node
 * that needs attention, and the URLs to open or curl. Problems are in capitals so they stand out in plain text.
 * The shapes below are what the table reads (the status workflow's report satisfies them).
 */
import type { ProbeResult } from '../model/health.js';
import { migrationLines, type MigrationView } from './status-migration.js';

export interface StatusNodeView {
  readonly host: string;
  readonly role: string;
  readonly kind: 'wso2' | 'service';
  readonly unreachable: string | null;
  readonly release: string | null;
  readonly version: string | null;
  readonly versionDiffers: boolean;
  readonly process: { readonly state: 'running' | 'stopped' | 'dead' | 'unknown'; readonly pid: number | null };
  readonly health: { readonly healthy: boolean; readonly checks: readonly ProbeResult[] };
  readonly drift: readonly { readonly path: string; readonly problem: 'differs' | 'missing' | 'unreadable' }[];
  /** Balancers holding it out of service (a rollout stopped half way). */
  readonly heldOut?: readonly string[];
  /** Installed but not running its `current` release. */
  readonly halfSwitched?: boolean;
  /** On another version than most nodes of its role. */
  readonly apartFromPeers?: boolean;
  readonly sameVersionOtherPack?: true;
  /** The command that repairs it. */
  readonly repair?: string | null;
  /** Certificates it serves (its own keystore's, a balancer's), with expiry; level error = expired, warning = < 30 days. */
  /** Secure vault on, unhealthy, and no password-tmp / password-persist in its home (see workflows/status/node-status.ts). */
  readonly awaitsVaultPassword?: boolean;
  readonly certificates?: readonly { readonly what: string; readonly subject: string; readonly notAfter: string; readonly daysLeft: number; readonly level: 'ok' | 'warning' | 'error' }[];
  readonly ok: boolean;
}

export interface StatusReportView {
  readonly name: string;
  readonly pattern: string;
  readonly apimVersion: string;
  readonly nodes: readonly StatusNodeView[];
  /** A migration in progress (the controller records it): blue and green side by side. */
  readonly migration?: MigrationView | null;
  readonly urls: readonly { readonly label: string; readonly url: string; readonly datacenter: string | null }[];
  readonly balancersUnread?: readonly string[];
  readonly ok: boolean;
}

function releaseCell(n: StatusNodeView, apimVersion: string): string {
  if (n.unreachable) return '?';
  if (n.kind === 'service') return '-';
  if (n.release === null) return 'NONE';
  return n.versionDiffers ? `${n.release} (WANT ${apimVersion})` : n.release;
}

function pidCell(n: StatusNodeView): string {
  const { state, pid } = n.process;
  if (state === 'running') return pid === null ? 'running' : String(pid);
  if (state === 'dead') return `DEAD (${pid})`;
  if (state === 'stopped') return 'STOPPED';
  return '?';
}

function healthCell(n: StatusNodeView): string {
  if (n.unreachable) return 'UNREACHABLE';
  return n.health.healthy ? 'healthy' : 'UNHEALTHY';
}

function configCell(n: StatusNodeView): string {
  if (n.unreachable) return '?';
  if (n.drift.length === 0) return 'in sync';
  return `DRIFT (${n.drift.length} file${n.drift.length === 1 ? '' : 's'})`;
}

export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

/** Why each node that is not ok is not: failing checks, drifted files, version. */
function problems(n: StatusNodeView, apimVersion: string): string[] {
  if (n.unreachable) return [`host unreachable: ${n.unreachable}`];
  const out: string[] = [];
  if (n.versionDiffers) out.push(n.release === null ? 'no release installed (never provisioned?)' : `runs ${n.version}, the inventory wants ${apimVersion}`);
  for (const c of n.health.checks) if (!c.healthy) out.push(`health: ${c.detail}`);
  if (!n.health.healthy && n.health.checks.length === 0) out.push(`health: process ${n.process.state}`);
  if (n.awaitsVaultPassword) {
    out.push('VAULT PASSWORD: secure vault is on and its home holds neither password-tmp nor password-persist, so a start apim-deploy did not perform '
      + '(systemd at boot, a restart) has no keystore password and Carbon waits for it at a console; `apim-deploy provision` starts it with password-tmp, '
      + 'or set secure_vault_persist_password: true');
  }
  for (const d of n.drift) out.push(`config: ${d.path} ${d.problem === 'differs' ? 'differs from the rendering' : d.problem}`);
  for (const h of n.heldOut ?? []) out.push(`DRAINED: held out of the load balancer on ${h}`);
  if (n.halfSwitched) out.push(`HALF-SWITCHED: ${n.release} is \`current\` but not running (a switch stopped between stop and start?)`);
  if (n.apartFromPeers && n.sameVersionOtherPack) out.push(`MIXED RELEASE: runs ${n.release}, ${n.version} from another pack (update level) than the other ${n.role} nodes`);
  else if (n.apartFromPeers) out.push(`MIXED VERSION: runs ${n.version}, unlike the other ${n.role} nodes`);
  for (const c of n.certificates ?? []) if (c.level === 'error') out.push(`CERTIFICATE EXPIRED: ${c.what} (${c.subject}) expired on ${c.notAfter}`);
  if (n.repair) out.push(`repair: ${n.repair}`);
  return out;
}

export function formatStatus(report: StatusReportView): string {
  const lines: string[] = [`${report.name}: pattern ${report.pattern}, API Manager ${report.apimVersion}`, ''];
  lines.push(...table([
    ['HOST', 'ROLE', 'RELEASE', 'PID', 'HEALTH', 'CONFIG'],
    ...report.nodes.map((n) => [n.host, n.role, releaseCell(n, report.apimVersion), pidCell(n), healthCell(n), configCell(n)]),
  ]));
  const bad = report.nodes.filter((n) => !n.ok);
  lines.push('');
  if (bad.length === 0) lines.push(`All ${report.nodes.length} nodes healthy and in sync.`);
  else {
    lines.push(`${bad.length} of ${report.nodes.length} nodes need attention:`);
    for (const n of bad) {
      lines.push(`  ${n.host}/${n.role}`);
      for (const p of problems(n, report.apimVersion)) lines.push(`    ${p}`);
    }
    if (bad.some((n) => n.drift.length > 0 && !n.repair)) lines.push('  (apim-deploy provision applies the inventory)');
  }
  lines.push(...certificateLines(report.nodes));
  for (const u of report.balancersUnread ?? []) lines.push(`cannot read which nodes the balancer serves: ${u}`);
  if (report.migration) lines.push(...migrationLines(report.migration));
  if (report.urls.length > 0) {
    lines.push('', 'Open or curl (-k: self-signed certificates):');
    const multiDc = report.urls.some((u) => u.datacenter !== null);
    lines.push(...table(report.urls.map((u) => [`  ${u.label}${multiDc && u.datacenter ? ` [${u.datacenter}]` : ''}`, u.url])));
  }
  return `${lines.join('\n')}\n`;
}

/** Every served certificate with its expiry; one expiring within 30 days is a warning (an expired one is a problem above). */
function certificateLines(nodes: readonly StatusNodeView[]): string[] {
  const rows = nodes.flatMap((n) => (n.certificates ?? []).map((c) => [`  ${n.host}/${n.role}`, c.what, `expires ${c.notAfter}`,
    c.level === 'error' ? 'EXPIRED' : c.level === 'warning' ? `WARNING: ${c.daysLeft} day(s) left` : `${c.daysLeft} days left`]));
  return rows.length === 0 ? [] : ['', 'Certificates:', ...table(rows)];
}
