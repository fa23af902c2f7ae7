/**
 * Whether systemd runs the host, tested as systemd itself does: sd_booted(3) (systemd 252, Debian 12) returns true
 * when `/run/systemd/system/` exists, a directory systemd creates early at boot; a container or a chroot on a
 * systemd machine, or a host booted with another init, has no such directory in its own /run.
 *
 * The same read also names the nodes the start script already runs: installed (`current` exists) with no unit file
 * of ours. systemd must not become their default silently: `systemctl stop` would not stop the script's server,
 * and `systemctl start` would start a second one beside it on the same ports.
 */
export const INIT_SYSTEM_SCRIPT = 'if [ -d /run/systemd/system ]; then echo systemd; fi; '
  + 'while [ "$#" -ge 3 ]; do if [ -e "$2" ] && [ ! -e "/etc/systemd/system/$3" ]; then echo "script-installed $1"; fi; shift 3; done';

export type InitSystem = 'systemd' | 'other';

/** A node to ask about: its role, its `current` link and its unit's file name. */
export interface ServiceManagerProbe {
  readonly role: string;
  readonly home: string;
  readonly unitName: string;
}

export const initSystemArgv = (nodes: readonly ServiceManagerProbe[] = []): string[] =>
  ['sh', '-c', INIT_SYSTEM_SCRIPT, 'sh', ...nodes.flatMap((n) => [n.role, n.home, n.unitName])];

export const parseInitSystem = (stdout: string): InitSystem => (stdout.split('\n')[0]?.trim() === 'systemd' ? 'systemd' : 'other');

/** The roles the start script already runs on the host (see above). */
export const parseScriptInstalled = (stdout: string): Set<string> =>
  new Set(stdout.split('\n').flatMap((l) => (l.startsWith('script-installed ') ? [l.slice('script-installed '.length).trim()] : [])));
