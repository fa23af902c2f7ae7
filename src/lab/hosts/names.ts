import { createHash } from 'node:crypto';
import { UsageError } from '../../errors.js';

/** Linux caps interface names at 15 characters (IFNAMSIZ - 1). */
export const IFNAME_MAX = 15;

const LAB_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkLabName(name: string): string {
  if (!LAB_NAME.test(name)) {
    throw new UsageError(
      `lab name "${name}" is not valid`,
      'use 1-32 lowercase letters, digits or dashes, starting with a letter or digit',
    );
  }
  return name;
}

export function checkHostNames(names: readonly string[]): readonly string[] {
  if (names.length === 0) throw new UsageError('a lab needs at least one host');
  const seen = new Set<string>();
  for (const name of names) {
    if (!HOST_NAME.test(name)) {
      throw new UsageError(`host name "${name}" is not a valid hostname`, 'use lowercase letters, digits and dashes');
    }
    if (seen.has(name)) throw new UsageError(`host name "${name}" is given twice`);
    seen.add(name);
  }
  return names;
}

/**
 * A short tag that fits interface names: the lab name itself when it is at most 8 characters,
 * else its first 3 characters and a 5-hex-digit hash, so distinct long names stay distinct.
 */
export function labTag(labName: string): string {
  if (labName.length <= 8) return labName;
  const hash = createHash('sha256').update(labName).digest('hex').slice(0, 5);
  return `${labName.slice(0, 3)}${hash}`;
}

/** The lab's Linux bridge, e.g. `br-lab`. */
export function bridgeName(labName: string): string {
  return `br-${labTag(labName)}`;
}

/** The internal bridge of a lab with a bastion (no controller address on it), e.g. `bi-lab`. */
export function innerBridgeName(labName: string): string {
  return `bi-${labTag(labName)}`;
}

/** The controller-side end of a host's veth pair, named by the last octet of its address, e.g. `vlab-11`. */
export function vethName(labName: string, address: string): string {
  const octet = address.split('.')[3] ?? '';
  return `v${labTag(labName)}-${octet}`;
}
