/**
 * One node's status from what the host probe read: pure, so every verdict is unit-tested without a host.
 * Health answers come in from the caller (they need the network); everything else is facts vs. the rendering.
 */
import { posix } from 'node:path';
import type { HostFacts, ProbePaths } from '../../facts/index.js';
import type { HostName, RoleName } from '../../model/inventory.js';
import type { ProbeResult } from '../../model/health.js';
import { CARBON_PASSWORD_FILES } from '../../model/vault.js';
import type { RenderedNode } from '../../render/render-inventory.js';

export type ProcessState = 'running' | 'stopped' | 'dead' | 'unknown';

export interface FileDrift {
  readonly path: string;
  /** differs: another sha256 on the host; missing: not on the host; unreadable: exists, cannot be read. */
  readonly problem: 'differs' | 'missing' | 'unreadable';
}

export interface NodeStatus {
  readonly host: HostName;
  readonly role: RoleName;
  readonly address: string;
  readonly kind: 'wso2' | 'service';
  /** null when the host answered; else why it could not be read. */
  readonly unreachable: string | null;
  /** WSO2 nodes: the release directory `current` points at (`4.6.0-a85b5ced`); null when absent or a service role. */
  readonly release: string | null;
  /** The version of that release (its id up to the sha). */
  readonly version: string | null;
  /** WSO2 nodes: true when no release runs or it is another version than the inventory's. */
  readonly versionDiffers: boolean;
  readonly process: { readonly state: ProcessState; readonly pid: number | null };
  readonly health: { readonly healthy: boolean; readonly checks: readonly ProbeResult[] };
  /** Rendered files whose sha256 on the host is not what the inventory renders now. */
  readonly drift: readonly FileDrift[];
  /**
   * Secure vault on, the node not healthy, and its carbon.home holds neither password-tmp nor password-persist: a start
   * apim-deploy did not perform (systemd at boot, Restart=) found no keystore password, and Carbon asks at a console.
   */
  readonly awaitsVaultPassword: boolean;
  /** Healthy, in sync and running the inventory's version. */
  readonly ok: boolean;
}

/** Carbon's password files in a vault node's home (status asks only whether they exist: their hash would be guessable). */
function vaultPasswordFiles(node: RenderedNode): string[] {
  const home = node.runtime.home;
  if (node.runtime.kind !== 'wso2' || !home || !node.context.vars.secure_vault) return [];
  return Object.values(CARBON_PASSWORD_FILES).map((f) => posix.join(home, f));
}

/** What status reads on one host: each node's files (through `current`), its `current` link and its PID file. */
export function statusProbePaths(nodes: readonly RenderedNode[]): ProbePaths {
  const files = nodes.flatMap((n) => n.files.map((f) => f.path));
  const links = nodes.flatMap((n) => (n.runtime.kind === 'wso2' ? [n.context.paths.home] : []));
  const pidFiles = nodes.flatMap((n) => (n.runtime.pidFile ? [n.runtime.pidFile] : []));
  const markers = nodes.flatMap(vaultPasswordFiles);
  return { files: [...new Set(files)], links: [...new Set(links)], pidFiles: [...new Set(pidFiles)], ...(markers.length > 0 ? { markers } : {}) };
}

/** `4.6.0` from `4.6.0-a85b5ced` (the release id is `<version>-<sha8>`, see topology/layout.ts). */
export function releaseVersion(releaseId: string): string {
  const m = /^(.+)-[0-9a-f]{8}$/.exec(releaseId);
  return m ? m[1]! : releaseId;
}

/** The process from the PID file (WSO2) or the role's `isRunning` answer (services: nginx, PostgreSQL). */
export function processState(node: RenderedNode, facts: HostFacts, serviceRunning: boolean | undefined): NodeStatus['process'] {
  if (node.runtime.kind === 'service' || !node.runtime.pidFile) {
    if (serviceRunning === undefined) return { state: 'unknown', pid: null };
    return { state: serviceRunning ? 'running' : 'stopped', pid: null };
  }
  const pid = facts.pids[node.runtime.pidFile];
  switch (pid?.state) {
    case 'alive':
      return { state: 'running', pid: pid.pid };
    case 'dead':
      return { state: 'dead', pid: pid.pid };
    case 'absent':
      return { state: 'stopped', pid: null };
    default:
      return { state: 'unknown', pid: null };
  }
}

export function fileDrift(node: RenderedNode, facts: HostFacts): FileDrift[] {
  return node.files.flatMap((f): FileDrift[] => {
    if (facts.unreadable.includes(f.path)) return [{ path: f.path, problem: 'unreadable' }];
    const remote = facts.files[f.path] ?? null;
    if (remote === null) return [{ path: f.path, problem: 'missing' }];
    return remote === f.sha256 ? [] : [{ path: f.path, problem: 'differs' }];
  });
}

export interface NodeFacts {
  readonly facts: HostFacts;
  readonly serviceRunning?: boolean;
  readonly checks: readonly ProbeResult[];
}

/** The verdict for one reachable node. */
export function nodeStatus(node: RenderedNode, apimVersion: string, seen: NodeFacts): NodeStatus {
  const target = node.runtime.kind === 'wso2' ? (seen.facts.links[node.context.paths.home] ?? null) : null;
  const release = target === null ? null : posix.basename(target);
  const version = release === null ? null : releaseVersion(release);
  const versionDiffers = node.runtime.kind === 'wso2' && version !== apimVersion;
  const process = processState(node, seen.facts, seen.serviceRunning);
  // A role without checks is as healthy as its process.
  const healthy = seen.checks.length > 0 ? seen.checks.every((c) => c.healthy) : process.state === 'running';
  const drift = fileDrift(node, seen.facts);
  const passwordFiles = vaultPasswordFiles(node);
  const awaitsVaultPassword = !healthy && passwordFiles.length > 0 && !passwordFiles.some((f) => seen.facts.markers[f]);
  return {
    host: node.host, role: node.role, address: node.context.address, kind: node.runtime.kind, unreachable: null,
    release, version, versionDiffers,
    process,
    health: { healthy, checks: seen.checks },
    drift,
    awaitsVaultPassword,
    ok: healthy && drift.length === 0 && !versionDiffers,
  };
}

/** A node whose host could not be reached or read: nothing is known, so it is not ok. */
export function unreachableNode(node: RenderedNode, why: string): NodeStatus {
  return {
    host: node.host, role: node.role, address: node.context.address, kind: node.runtime.kind, unreachable: why,
    release: null, version: null, versionDiffers: false,
    process: { state: 'unknown', pid: null }, health: { healthy: false, checks: [] }, drift: [], awaitsVaultPassword: false, ok: false,
  };
}
