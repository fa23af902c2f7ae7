import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '../../errors.js';

export interface WantedHost {
  readonly name: string;
  readonly address?: string;
}

/**
 * The lab hosts an inventory names: its top-level `hosts:` keys in order, with their `address` when set.
 * Hosts with `connection: local` are the controller itself, not lab hosts.
 */
export function hostsFromInventory(file: string): WantedHost[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new ConfigError(
      `${file} does not exist, so the lab does not know which hosts to create`,
      [],
      'pass --hosts N or --names a,b,c, or create the inventory',
    );
  }
  const doc = parse(text) as { hosts?: unknown } | null;
  const hosts = doc?.hosts;
  if (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts)) {
    throw new ConfigError(`${file} has no top-level "hosts:" mapping`, [], 'pass --hosts N or --names a,b,c');
  }
  const wanted: WantedHost[] = [];
  for (const [name, spec] of Object.entries(hosts as Record<string, unknown>)) {
    const s = (spec ?? {}) as { address?: unknown; connection?: unknown };
    if (s.connection === 'local') continue;
    wanted.push(typeof s.address === 'string' ? { name, address: s.address } : { name });
  }
  return wanted;
}
