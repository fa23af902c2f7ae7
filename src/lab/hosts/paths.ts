import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';

/** Where a lab keeps its state; every path helper below derives from these two options. */
export interface LabLocation {
  /** Lab name, default `lab`. */
  readonly name?: string;
  /** State directory; default `$APIM_LAB_DIR/<name>` if set, else `<projectRoot>/.lab/<name>`. */
  readonly stateDir?: string;
  /** Default: the current directory. */
  readonly projectRoot?: string;
}

export const DEFAULT_LAB_NAME = 'lab';

export function labName(loc: LabLocation): string {
  return loc.name ?? DEFAULT_LAB_NAME;
}

// The host script mounts overlays with these paths in mount options, where `,` `:` and spaces are separators.
const SAFE_PATH = /^\/[A-Za-z0-9._/@+-]*$/;
// Host directories are mounted over these; a state dir inside them would hide itself or overlap an overlay layer.
const FORBIDDEN_PARENTS = ['/etc', '/var', '/run', '/proc', '/sys', '/dev', '/usr'];

export function stateDir(loc: LabLocation): string {
  const name = labName(loc);
  const envDir = process.env.APIM_LAB_DIR;
  const dir = resolve(loc.stateDir ?? (envDir ? join(envDir, name) : join(loc.projectRoot ?? process.cwd(), '.lab', name)));
  if (!SAFE_PATH.test(dir)) {
    throw new UsageError(`lab state directory ${dir} has characters mount options cannot carry`, 'use --state-dir with a plain path');
  }
  const parent = FORBIDDEN_PARENTS.find((p) => dir === p || dir.startsWith(`${p}/`));
  if (parent) {
    throw new UsageError(`lab state directory ${dir} is under ${parent}, which every lab host mounts over`, 'use --state-dir elsewhere');
  }
  return dir;
}

export const statePath = (loc: LabLocation): string => join(stateDir(loc), 'state.json');
export const clientKeyPath = (loc: LabLocation): string => join(stateDir(loc), 'id_ed25519');
export const knownHostsPath = (loc: LabLocation): string => join(stateDir(loc), 'known_hosts');
export const hostsYamlPath = (loc: LabLocation): string => join(stateDir(loc), 'hosts.yaml');
export const secretsPath = (loc: LabLocation): string => join(stateDir(loc), 'secrets.env');
export const sshConfigPath = (loc: LabLocation): string => join(stateDir(loc), 'ssh_config');
export const lockPath = (loc: LabLocation): string => join(stateDir(loc), 'lock');
export const hostsRoot = (loc: LabLocation): string => join(stateDir(loc), 'hosts');
export const hostDir = (loc: LabLocation, host: string): string => join(hostsRoot(loc), host);
