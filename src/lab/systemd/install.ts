/**
 * enable / disable / is-enabled as systemctl(1) does them for the [Install] section (systemd.unit(5)): each
 * `WantedBy=T` is a symlink `/etc/systemd/system/T.wants/<unit>` to the unit file (a template instance links to
 * the template file), `RequiredBy=T` the same under `T.requires`. A unit without [Install] is `static`.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { findUnitPath, readUnit, values } from './unit-file.js';

const ETC = '/etc/systemd/system';

function installLinks(name: string): { link: string; target: string }[] | undefined {
  const unit = readUnit(name);
  if (!unit) return undefined;
  const links = [
    ...values(unit, 'Install', 'WantedBy').flatMap((v) => v.split(/\s+/)).map((t) => join(ETC, `${t}.wants`, name)),
    ...values(unit, 'Install', 'RequiredBy').flatMap((v) => v.split(/\s+/)).map((t) => join(ETC, `${t}.requires`, name)),
  ];
  return links.map((link) => ({ link, target: unit.path }));
}

const isLink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** Every `*.wants` / `*.requires` link under /etc/systemd/system named like the unit. */
function existingLinks(name: string): string[] {
  if (!existsSync(ETC)) return [];
  return readdirSync(ETC).filter((d) => d.endsWith('.wants') || d.endsWith('.requires')).map((d) => join(ETC, d, name)).filter(isLink);
}

export function enable(name: string, err: (line: string) => void): number {
  const links = installLinks(name);
  if (!links) {
    err(`Failed to enable unit: Unit file ${name} does not exist.`);
    return 1;
  }
  if (links.length === 0) {
    err(`The unit files have no installation config (WantedBy=, RequiredBy=, Also=, Alias= settings in the [Install] section).`);
    return 0;
  }
  for (const { link, target } of links) {
    if (isLink(link) && readlinkSync(link) === target) continue;
    mkdirSync(join(link, '..'), { recursive: true });
    rmSync(link, { force: true });
    symlinkSync(target, link);
    err(`Created symlink ${link} → ${target}.`);
  }
  return 0;
}

export function disable(name: string, err: (line: string) => void): number {
  if (!findUnitPath(name)) {
    err(`Failed to disable unit: Unit file ${name} does not exist.`);
    return 1;
  }
  for (const link of existingLinks(name)) {
    rmSync(link);
    err(`Removed "${link}".`);
  }
  return 0;
}

/** `enabled` / `disabled` / `static`, or undefined when no such unit file exists. */
export function unitFileState(name: string): 'enabled' | 'disabled' | 'static' | undefined {
  const links = installLinks(name);
  if (!links) return undefined;
  if (existingLinks(name).length > 0) return 'enabled';
  return links.length === 0 ? 'static' : 'disabled';
}

/** The units multi-user.target pulls in at boot: the names in its .wants directory. */
export function wantedAtBoot(): string[] {
  const dir = join(ETC, 'multi-user.target.wants');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
