import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleSystemdStandIn } from '../systemd/bundle.js';

const WANTS = join('systemd', 'system', 'multi-user.target.wants');

/**
 * A `--init systemd` host's files: the systemd stand-in its host script binds over systemctl and journalctl, and,
 * the first time, an empty multi-user.target.wants. /etc is an overlay on the machine's, where Debian enabled every
 * package installed once for all hosts (nginx, haproxy, postgresql, ssh); a fresh VM of ours has installed none of
 * them, so whiteouts (character device 0/0, as overlayfs writes them) hide the machine's links. What apim-deploy
 * enables later is the host's own.
 */
export async function prepareSystemdHost(hostDir: string): Promise<void> {
  mkdirSync(join(hostDir, 'systemd'), { recursive: true });
  const standIn = join(hostDir, 'systemd', 'systemctl');
  writeFileSync(standIn, await bundleSystemdStandIn());
  chmodSync(standIn, 0o755);
  const upper = join(hostDir, 'etc', 'upper', WANTS);
  if (existsSync(upper)) return;
  mkdirSync(upper, { recursive: true });
  const machine = join('/etc', WANTS);
  for (const entry of existsSync(machine) ? readdirSync(machine) : []) execFileSync('mknod', [join(upper, entry), 'c', '0', '0']);
}
