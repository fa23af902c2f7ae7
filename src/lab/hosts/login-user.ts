/**
 * The lab's login user, as on an enterprise VM: `deploy` logs in by key (root may not log in at all) and gets root
 * through sudo, password-less by default or asking for a password (`lab up --sudo-password`). Its account lives in
 * the host's own copy-on-write /etc and its home under the host's private /home.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOGIN_USER = 'deploy';
/** First uid/gid tried for the login user; the first id free in both the machine's passwd and group is taken. */
const FIRST_ID = 2000;

export interface LoginUser {
  readonly uid: number;
  readonly gid: number;
  /** The sha512-crypt hash of the sudo password, or undefined for password-less sudo. */
  readonly passwordHash?: string;
}

function entries(text: string): string[][] {
  return text.split('\n').filter((l) => l !== '').map((l) => l.split(':'));
}

/** The uid and gid the login user gets: the ones an earlier boot gave it, else the first id free in both files. */
export function loginUserIds(passwd: string, group: string): { uid: number; gid: number } {
  const own = entries(passwd).find((f) => f[0] === LOGIN_USER);
  if (own && own.length > 3) return { uid: Number(own[2]), gid: Number(own[3]) };
  const taken = new Set([...entries(passwd).map((f) => Number(f[2])), ...entries(group).map((f) => Number(f[2]))]);
  let id = FIRST_ID;
  while (taken.has(id)) id++;
  return { uid: id, gid: id };
}

/** `text` with the line for `name` (first field) replaced by `line`, or `line` appended. */
export function upsertEntry(text: string, name: string, line: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  const at = lines.findIndex((l) => l.split(':')[0] === name);
  if (at >= 0) lines[at] = line;
  else lines.push(line);
  return `${lines.join('\n')}\n`;
}

/**
 * Shadow field `*`: no password, yet key login works with `UsePAM no` (a `!`-locked account would be refused).
 * With a sudo password the field holds its hash: sudo asks for it, SSH still takes only the key.
 */
export const shadowLine = (user: LoginUser): string => `${LOGIN_USER}:${user.passwordHash ?? '*'}:19000:0:99999:7:::`;

export function sudoersRule(passwordless: boolean): string {
  return `# Written by \`apim-deploy lab up\`.\n${LOGIN_USER} ALL=(ALL:ALL) ${passwordless ? 'NOPASSWD: ' : ''}ALL\n`;
}

function readOr(file: string, fallback: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : readFileSync(fallback, 'utf8');
}

function writeOwned(file: string, content: string, mode: number, uid: number, gid: number): void {
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
  chownSync(file, uid, gid);
}

/**
 * Writes the login user into the host's /etc layer (passwd, group, shadow, a sudoers rule) and its home with the
 * lab key authorized. Re-run on every boot, so `--sudo-password` can be switched on or off; the rest of each file
 * (users added inside the host) is kept.
 */
export function installLoginUser(hostDir: string, clientPublicKey: string, passwordHash: string | undefined): LoginUser {
  const etc = join(hostDir, 'etc', 'upper');
  const passwdFile = join(etc, 'passwd');
  const groupFile = join(etc, 'group');
  const passwd = readOr(passwdFile, '/etc/passwd');
  const group = readOr(groupFile, '/etc/group');
  const { uid, gid } = loginUserIds(passwd, group);
  const user: LoginUser = { uid, gid, ...(passwordHash ? { passwordHash } : {}) };
  writeOwned(passwdFile, upsertEntry(passwd, LOGIN_USER, `${LOGIN_USER}:x:${uid}:${gid}:apim-deploy lab login:/home/${LOGIN_USER}:/bin/bash`), 0o644, 0, 0);
  writeOwned(groupFile, upsertEntry(group, LOGIN_USER, `${LOGIN_USER}:x:${gid}:`), 0o644, 0, 0);
  const shadowFile = join(etc, 'shadow');
  const shadowGid = Number(readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('shadow:'))?.split(':')[2] ?? 0);
  writeOwned(shadowFile, upsertEntry(readFileSync(shadowFile, 'utf8'), LOGIN_USER, shadowLine(user)), 0o640, 0, shadowGid);
  // sudo ignores a sudoers.d file that is not root-owned and 0440.
  mkdirSync(join(etc, 'sudoers.d'), { recursive: true, mode: 0o750 });
  writeOwned(join(etc, 'sudoers.d', LOGIN_USER), sudoersRule(passwordHash === undefined), 0o440, 0, 0);

  // sshd's StrictModes: home and ~/.ssh owned by the user and not writable by others.
  const home = join(hostDir, 'home', LOGIN_USER);
  for (const [dir, mode] of [[home, 0o750], [join(home, '.ssh'), 0o700]] as const) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, mode);
    chownSync(dir, uid, gid);
  }
  writeOwned(join(home, '.ssh', 'authorized_keys'), `${clientPublicKey}\n`, 0o600, uid, gid);
  return user;
}
