import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../errors.js';

export const LAB_STATE_FORMAT = 1;

/** A process the lab started, identified by PID and kernel start time so a reused PID is never mistaken for it. */
export interface ProcessRef {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks since boot). */
  readonly startTime: string;
}

export interface LabHost {
  readonly name: string;
  readonly address: string;
  /** The controller-side veth end. */
  readonly veth: string;
  /** Per-host directory holding opt/, root/, tmp/, run/, etc/ and var/ overlay layers. */
  readonly dir: string;
  /** `unshare`, parent of the host (it dies with the host, and kills the host if it dies: --kill-child). */
  readonly unshare: ProcessRef;
  /** The host's PID 1: `sshd -D`. Null while the host is booting. */
  readonly sshd: ProcessRef | null;
  /** The bastion's second link, on the internal bridge. */
  readonly inner?: { readonly address: string; readonly veth: string };
  /** Behind the bastion: the controller cannot reach it directly. */
  readonly internal?: boolean;
}

/** `lab up --bastion`: the hosts' bridge and the controller's way to them. */
export interface LabBastion {
  /** The front /24 the bastion and the controller share (on `bridge`). */
  readonly subnet: string;
  /** The hosts' bridge: no controller address; the controller holds an unreachable route for their subnet. */
  readonly innerBridge: string;
}

export interface LabState {
  readonly format: typeof LAB_STATE_FORMAT;
  readonly name: string;
  readonly stateDir: string;
  readonly subnet: string;
  readonly bridge: string;
  readonly bridgeAddress: string;
  readonly bastion?: LabBastion;
  /** The login user's sudo asks for the password in secrets.env. */
  readonly sudoPassword?: boolean;
  /** Benchmarks only: root may log in too. */
  readonly rootLogin?: boolean;
  /** `lab up --forbid-tcp-forwarding`: the hosts' sshd (not the bastion's) allow no TCP forwarding. */
  readonly forbidTcpForwarding?: boolean;
  /** `lab up --init systemd`: hosts boot with the lab's systemd stand-in. */
  readonly init?: 'systemd';
  /** `lab up --controller-mbit`: the controller's sends into the lab are capped at this rate (controller-cap.ts). */
  readonly controllerMbit?: number;
  readonly hosts: readonly LabHost[];
}

function fail(file: string, message: string): never {
  throw new ConfigError(`${file}: ${message}`, [], `the lab state is damaged; remove ${file} after checking \`ip link\` and \`ps\` by hand`);
}

function isProcessRef(v: unknown): v is ProcessRef {
  const r = v as ProcessRef;
  return typeof r === 'object' && r !== null && Number.isInteger(r.pid) && r.pid > 0 && typeof r.startTime === 'string';
}

function checkHost(v: unknown, file: string, i: number): LabHost {
  const h = v as Record<string, unknown>;
  const strings = ['name', 'address', 'veth', 'dir'] as const;
  if (typeof h !== 'object' || h === null || !strings.every((k) => typeof h[k] === 'string')) {
    fail(file, `hosts[${i}] lacks name, address, veth or dir`);
  }
  if (!isProcessRef(h.unshare) || !(h.sshd === null || isProcessRef(h.sshd))) {
    fail(file, `hosts[${i}] has no valid process references`);
  }
  const inner = h.inner as Record<string, unknown> | undefined;
  if (inner !== undefined && (typeof inner.address !== 'string' || typeof inner.veth !== 'string')) {
    fail(file, `hosts[${i}].inner lacks address or veth`);
  }
  return h as unknown as LabHost;
}

/** Parses and checks a state file's text; `file` only names it in errors. */
export function parseLabState(text: string, file: string): LabState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail(file, `not JSON (${(err as Error).message})`);
  }
  const s = raw as Record<string, unknown>;
  if (typeof s !== 'object' || s === null) fail(file, 'not an object');
  if (s.format !== LAB_STATE_FORMAT) fail(file, `format ${String(s.format)} is not ${LAB_STATE_FORMAT}`);
  for (const key of ['name', 'stateDir', 'subnet', 'bridge', 'bridgeAddress'] as const) {
    if (typeof s[key] !== 'string') fail(file, `"${key}" is missing`);
  }
  if (!Array.isArray(s.hosts)) fail(file, '"hosts" is not a list');
  const b = s.bastion as Record<string, unknown> | undefined;
  if (b !== undefined && (typeof b.subnet !== 'string' || typeof b.innerBridge !== 'string')) fail(file, '"bastion" lacks subnet or innerBridge');
  if (s.controllerMbit !== undefined && !(typeof s.controllerMbit === 'number' && s.controllerMbit > 0)) fail(file, '"controllerMbit" is not a positive number');
  const hosts = s.hosts.map((h, i) => checkHost(h, file, i));
  return { ...(s as unknown as LabState), hosts };
}

/** The recorded state, or undefined when the lab has none. */
export function readLabState(file: string): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseLabState(text, file);
}

/** Write to a temp file in the same directory, then rename: a crash leaves the old or the new state, never half. */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, file);
}

export function writeLabState(file: string, state: LabState): void {
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
