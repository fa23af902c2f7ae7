import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installLoginUser } from './login-user.js';
import { generateEd25519 } from './ssh-keys.js';
import { renderSshdConfig } from './sshd-config.js';

export interface HostFilesInput {
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  /** The lab client's public key line, authorized for the login user (root may not log in). */
  readonly clientPublicKey: string;
  /** sha512-crypt hash of the login user's sudo password; undefined: password-less sudo. */
  readonly sudoPasswordHash?: string;
  /** Benchmarks only: root may log in with the lab key too (the baseline the sudo figures compare against). */
  readonly rootLogin?: boolean;
  /** false: the host's sshd allows no TCP forwarding (`lab up --forbid-tcp-forwarding`). Default true. */
  readonly tcpForwarding?: boolean;
  /** Content of the host's /etc/hosts. */
  readonly etcHosts: string;
}

/** Root's shadow entry with password field `*`: with `UsePAM no`, sshd refuses key login to a `!`-locked root. */
export function shadowWithRootStar(shadow: string): string {
  return shadow
    .split('\n')
    .map((line) => {
      const fields = line.split(':');
      if (fields[0] !== 'root' || fields.length < 2) return line;
      fields[1] = '*';
      return fields.join(':');
    })
    .join('\n');
}

/** The numeric uid and gid of a local user from /etc/passwd text, if present. */
export function passwdIds(passwd: string, user: string): { uid: number; gid: number } | undefined {
  const fields = passwd.split('\n').map((l) => l.split(':')).find((f) => f[0] === user);
  return fields && fields.length > 3 ? { uid: Number(fields[2]), gid: Number(fields[3]) } : undefined;
}

function dir(path: string, mode: number, owner?: { uid: number; gid: number }): void {
  mkdirSync(path, { recursive: true });
  chmodSync(path, mode);
  if (owner) chownSync(path, owner.uid, owner.gid);
}

/**
 * Lays out a host's private directories before it boots. Disks (opt, root, the etc and var layers) survive a
 * restart like a VM's; tmp and run start empty like a tmpfs after a reboot. Returns the host's public key line.
 */
export function prepareHostFiles(input: HostFilesInput): string {
  const d = input.dir;
  for (const volatile of ['tmp', 'run']) rmSync(join(d, volatile), { recursive: true, force: true });
  dir(join(d, 'opt'), 0o755);
  dir(join(d, 'root'), 0o700);
  dir(join(d, 'home'), 0o755);
  dir(join(d, 'tmp'), 0o1777);
  dir(join(d, 'run'), 0o755);
  dir(join(d, 'run', 'sshd'), 0o755); // sshd's privilege-separation directory: must exist and be root-owned
  dir(join(d, 'run', 'lock'), 0o1777);
  const postgres = passwdIds(readFileSync('/etc/passwd', 'utf8'), 'postgres');
  if (postgres) dir(join(d, 'run', 'postgresql'), 0o2775, postgres);
  for (const layer of ['etc', 'var']) {
    dir(join(d, layer, 'upper'), 0o755);
    dir(join(d, layer, 'work'), 0o700);
  }
  const etc = join(d, 'etc', 'upper');
  dir(join(etc, 'ssh'), 0o755);
  hideControllerState(join(d, 'var', 'upper'));

  if (input.rootLogin) {
    dir(join(d, 'root', '.ssh'), 0o700);
    writeFileSync(join(d, 'root', '.ssh', 'authorized_keys'), `${input.clientPublicKey}\n`, { mode: 0o600 });
  } else rmSync(join(d, 'root', '.ssh', 'authorized_keys'), { force: true });
  writeFileSync(join(etc, 'hostname'), `${input.name}\n`);
  writeFileSync(join(etc, 'ssh', 'sshd_config'), renderSshdConfig(input.address, { rootLogin: input.rootLogin ?? false, tcpForwarding: input.tcpForwarding ?? true }));
  writeEtcHosts(d, input.etcHosts);

  // The host's own shadow is written once: later changes (useradd inside the host) are its own.
  const shadow = join(etc, 'shadow');
  if (!existsSync(shadow)) {
    const real = statSync('/etc/shadow');
    writeFileSync(shadow, shadowWithRootStar(readFileSync('/etc/shadow', 'utf8')), { mode: real.mode & 0o777 });
    chownSync(shadow, real.uid, real.gid);
  }
  installLoginUser(d, input.clientPublicKey, input.sudoPasswordHash);

  const hostKey = join(etc, 'ssh', 'ssh_host_ed25519_key');
  if (!existsSync(hostKey) || !existsSync(`${hostKey}.pub`)) {
    const pair = generateEd25519(`root@${input.name}`);
    writeFileSync(hostKey, pair.privateKey, { mode: 0o600 });
    writeFileSync(`${hostKey}.pub`, `${pair.publicKey}\n`, { mode: 0o644 });
  }
  return readFileSync(`${hostKey}.pub`, 'utf8').trim();
}

/**
 * /var is an overlay on the controller's /var, so apim-deploy state the machine itself holds (a local-transport
 * run, a demo) would show on every fresh host. A whiteout in the upper layer, made once, hides it: a new VM has
 * none. Once the host writes its own state there, overlayfs replaces the whiteout with its directory.
 */
function hideControllerState(varUpper: string): void {
  const lib = join(varUpper, 'lib');
  const state = join(lib, 'apim-deploy');
  if (lstatExists(state)) return;
  dir(lib, 0o755);
  execFileSync('mknod', [state, 'c', '0', '0']);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Each host bind-mounts `<dir>/hosts` over /etc/hosts. Rewrite it in place (same inode), never by rename:
 * a bind mount pins the inode, so a renamed-in file would stay invisible to a running host.
 */
export function writeEtcHosts(hostDirPath: string, content: string): void {
  const file = join(hostDirPath, 'hosts');
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
  writeFileSync(file, content, { mode: 0o644 });
}

/** /etc/hosts for every lab host: localhost lines, then each lab host by name. */
export function renderEtcHosts(hosts: readonly { name: string; address: string }[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', '# lab hosts (apim-deploy lab up)'];
  for (const h of hosts) lines.push(`${h.address}\t${h.name}`);
  return `${lines.join('\n')}\n`;
}
