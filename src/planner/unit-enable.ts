
/**
 * Boot with the host: `systemctl enable` for the unit that starts a node (apim-deploy's own for WSO2, the Debian
 * package's for nginx, HAProxy, PostgreSQL, MariaDB: Debian enables those on install, so there it is a no-op). Units say `WantedBy=multi-user.target`
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

/** The enable of the unit that starts a node at boot (ResolvedRuntime.systemdUnit). */
export function enableUnit(name: string): EnableUnit {
  return { unit: name, link: enabledLink(name), argv: ['systemctl', 'enable', name] };
}
