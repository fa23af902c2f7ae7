import { posix } from 'node:path';
import type { DesiredFile } from './desired-state.js';

/**
 * Boot with the host: `systemctl enable` for a unit apim-deploy writes. Our units say `WantedBy=multi-user.target`
 * (templates/common/wso2.service.eta), and enabling one is, per systemctl(1) `enable` and systemd.unit(5)
 * "[Install] Section Options" (`WantedBy=`), a symlink `/etc/systemd/system/multi-user.target.wants/<unit>` to the
 * unit file. That symlink is the fact: present, nothing to do (a no-op run changes nothing); absent, the plan enables.
 */
export const WANTED_BY_DIR = '/etc/systemd/system/multi-user.target.wants';

export const enabledLink = (unitName: string): string => `${WANTED_BY_DIR}/${unitName}`;

export interface EnableUnit {
  readonly unit: string;
  /** The wants symlink `systemctl enable` creates: the step's marker. */
  readonly link: string;
  readonly argv: readonly string[];
}

/** The enable of one unit file this node writes under /etc/systemd/system. */
export function enableUnit(unit: DesiredFile): EnableUnit {
  const name = posix.basename(unit.path);
  return { unit: name, link: enabledLink(name), argv: ['systemctl', 'enable', name] };
}
