import { UsageError } from '../../errors.js';
import type { HostName, HostSpec } from '../../model/inventory.js';

/**
 * `--limit PATTERN`, as Ansible users expect it: comma-separated terms, each a host name, a role name (every host
 * playing it) or a glob over host names (`gw-*`, `cp-?`). A term that matches nothing is a usage error, so a typo
 * never silently plans nothing.
 */
export function limitHosts(hosts: readonly HostSpec[], pattern: string): Set<HostName> {
  const terms = pattern.split(',').map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0) throw new UsageError(`--limit '${pattern}' names no host`, 'give host names, role names or globs, comma-separated');
  const picked = new Set<HostName>();
  const unmatched: string[] = [];
  for (const term of terms) {
    const glob = globRegExp(term);
    const hits = hosts.filter((h) => h.name === term || (h.roles as readonly string[]).includes(term) || glob.test(h.name));
    if (hits.length === 0) unmatched.push(term);
    for (const h of hits) picked.add(h.name);
  }
  if (unmatched.length > 0) {
    throw new UsageError(`--limit: ${unmatched.map((t) => `'${t}'`).join(', ')} matches no host or role of the inventory`,
      `hosts: ${hosts.map((h) => h.name).join(', ')}; roles: ${[...new Set(hosts.flatMap((h) => h.roles))].join(', ')}`);
  }
  return picked;
}

/** `*` any run of characters, `?` one character; everything else literal. */
function globRegExp(term: string): RegExp {
  const body = term.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
