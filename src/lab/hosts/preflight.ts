import { accessSync, constants } from 'node:fs';
import { ConfigError, UsageError } from '../../errors.js';

const TOOLS: readonly (readonly [string, string])[] = [
  ['/usr/bin/unshare', 'util-linux'],
  ['/usr/bin/nsenter', 'util-linux'],
  ['/usr/sbin/ip', 'iproute2'],
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/bin/ssh', 'openssh-client'],
];

/** Lab hosts are kernel namespaces: only root on Linux may create them. Checked before touching anything. */
export function assertCanRunLab(): void {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    throw new UsageError(
      'lab hosts need root on Linux: they are network, mount and pid namespaces joined by a bridge, and only root can create those',
      'run the lab commands as root (e.g. sudo bin/apim-deploy lab up) on a Linux machine',
    );
  }
  const missing = TOOLS.filter(([path]) => {
    try {
      accessSync(path, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new ConfigError(
      `lab hosts need ${missing.map(([p]) => p).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} missing`,
      [],
      `apt-get install ${packages}`,
    );
  }
}
