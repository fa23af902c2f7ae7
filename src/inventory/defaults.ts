import type { HostSpec, VarValue } from '../model/inventory.js';
import type { LayoutDraft } from './layout.js';
import { VARIABLE_DEFAULTS } from './variables.js';
import { Secret } from '../model/secret.js';

type MutableVars = Record<string, VarValue>;
const PASSWORDS = new Set(['keystore_password', 'truststore_password']);

/** Fills the global defaults of simple variables (lowest precedence, so overrides still win). */
export function fillGlobalDefaults(vars: MutableVars): void {
  for (const [name, value] of Object.entries(VARIABLE_DEFAULTS)) {
    if (vars[name] !== undefined) continue;
    vars[name] = PASSWORDS.has(name) ? new Secret(value, `default ${name} (the shipped JKS password)`) : value;
  }
}

/**
 * public_hostname defaults per layout: the load balancer's address, else the first control plane (or all-in-one)
 * for the portals and the first gateway (or all-in-one) for API traffic. Regional datacenters without a control
 * plane use the central one's.
 */
export function fillPublicHostnames(layouts: readonly LayoutDraft[], hosts: ReadonlyMap<string, Pick<HostSpec, 'address'>>, global: MutableVars): void {
  const addr = (h: string | undefined): string | undefined => (h === undefined ? undefined : hosts.get(h)?.address);
  const central = layouts[0];
  for (const layout of layouts) {
    const target = (layout.datacenter === undefined ? global : layout.vars) as MutableVars;
    const existing = (layout.vars['public_hostname'] ?? global['public_hostname']) as MutableVars | undefined;
    const lb = addr(layout.roles['load-balancer']?.[0]);
    const firstCp = (l: LayoutDraft | undefined): string | undefined => addr(l?.roles['control-plane']?.[0] ?? l?.roles['all-in-one']?.[0]);
    const cp = lb ?? firstCp(layout) ?? (central && addr(central.roles['load-balancer']?.[0])) ?? firstCp(central);
    const gw = lb ?? addr(layout.roles.gateway?.[0] ?? layout.roles['all-in-one']?.[0]);
    const filled: MutableVars = { ...(existing ?? {}) };
    if (filled['control_plane'] === undefined && cp !== undefined) filled['control_plane'] = cp;
    if (filled['gateway'] === undefined && gw !== undefined) filled['gateway'] = gw;
    target['public_hostname'] = filled;
  }
}
