/**
 * Whether systemd runs the host, tested as systemd itself does: sd_booted(3) (systemd 252, Debian 12) returns true
 * when `/run/systemd/system/` exists, a directory systemd creates early at boot; a container or a chroot on a
 * systemd machine, or a host booted with another init, has no such directory in its own /run.
 */
export const INIT_SYSTEM_SCRIPT = 'if [ -d /run/systemd/system ]; then echo systemd; fi';

export type InitSystem = 'systemd' | 'other';

export const initSystemArgv = (): string[] => ['sh', '-c', INIT_SYSTEM_SCRIPT];

export const parseInitSystem = (stdout: string): InitSystem => (stdout.trim() === 'systemd' ? 'systemd' : 'other');
