import { ROLE_NAMES, type HostSpec, type RoleName } from '../model/inventory.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { ADDRESS, HOST_NAME, normalizeAddress } from './names.js';
import type { WrittenInventory } from './schema.js';
import type { YamlSource } from '../yaml/source.js';
import { checkVars } from './check-vars.js';
import type { Vars } from './variables.js';
import { quoted } from '../yaml/shown.js';

/** A host before its roles are known, with its own `vars:` and `port_offsets:` (read into its nodes). */
export type HostDraft = Omit<HostSpec, 'roles' | 'datacenter'> & {
  readonly vars: Vars;
  /** WSO2 port offset per role (`[server] offset`); roles sharing a host need distinct offsets. */
  readonly portOffsets: Readonly<Partial<Record<RoleName, number>>>;
};

/**
 * Normalizes `hosts:` (names and addresses checked against strict patterns). Their logins (user, keys, become,
 * proxy_jump, ...) are read later by src/inventory/connection.ts, once datacenters are known.
 */
export function normalizeHosts(w: WrittenInventory, src: YamlSource, env: DotenvFile): Map<string, HostDraft> {
  const out = new Map<string, HostDraft>();
  for (const [name, h] of Object.entries(w.hosts)) {
    const at = ['hosts', name];
    if (!HOST_NAME.test(name)) src.add(at, `host name ${quoted(name)} is not allowed: use ${HOST_NAME.expected}`, 'key');
    const connection = h.connection ?? 'ssh';
    const written = h.address ?? (connection === 'local' ? '127.0.0.1' : '');
    const address = ADDRESS.test(written) ? normalizeAddress(written) : written;
    if (connection === 'ssh' && h.address === undefined) src.add(at, `required key 'address' is missing: add the IP address or DNS name SSH connects to`);
    else if (!ADDRESS.test(address) && !address.includes('${')) src.add([...at, 'address'], `${quoted(address)} is not a valid address: use ${ADDRESS.expected}`);
    const vars: Vars = checkVars(h.vars, [...at, 'vars'], 'host', src, env);
    out.set(name, {
      name,
      address,
      connection,
      portOffsets: portOffsets(h.port_offsets, at, src),
      vars,
      pos: src.pos(at, 'key'),
    });
  }
  return out;
}

function portOffsets(raw: Record<string, number> | undefined, at: readonly string[], src: YamlSource): Partial<Record<RoleName, number>> {
  const out: Partial<Record<RoleName, number>> = {};
  for (const [role, offset] of Object.entries(raw ?? {})) {
    if ((ROLE_NAMES as readonly string[]).includes(role)) out[role as RoleName] = offset;
    else src.add([...at, 'port_offsets', role], `unknown role ${quoted(role)}: use one of ${ROLE_NAMES.join(', ')}`, 'key');
  }
  return out;
}
