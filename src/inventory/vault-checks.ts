import type { RoleCatalog } from '../catalog/roles.js';
import { isWso2Role } from '../catalog/variants.js';
import type { ConfigIssue } from '../errors.js';
import type { YamlSource } from '../yaml/source.js';
import type { DraftNode } from './nodes.js';

/**
 * secure_vault at validate, where it is written (file:line). Warnings (returned):
 * a systemd node whose password is not persisted (after a reboot systemd starts it without password-tmp, so Carbon
 * waits at a console prompt and the node stays down until the next provision), and secure_vault_persist_password
 * without secure_vault (it does nothing). Whether the key is RSA is known when the plan reads the keystore.
 */
export function checkSecureVault(nodes: readonly DraftNode[], catalog: RoleCatalog, src: YamlSource): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const seen = new Set<string>();
  const warn = (at: readonly (string | number)[], message: string): void => {
    const key = `${at.join('\0')}|${message}`;
    if (!seen.has(key)) warnings.push({ ...src.pos([...at]), path: at.join('.'), message: (seen.add(key), message) });
  };
  for (const n of nodes) {
    if (!isWso2Role(catalog[n.role])) continue;
    const v = n.vars.values;
    const at = (name: string) => n.vars.origin.get(name) ?? [];
    if (v['secure_vault'] !== true) {
      if (v['secure_vault_persist_password'] === true) warn(at('secure_vault_persist_password'), `secure_vault_persist_password does nothing on ${n.host} (${n.role}): secure_vault is off`);
      continue;
    }
    if (v['service_manager'] === 'systemd' && v['secure_vault_persist_password'] !== true) {
      warn(at('secure_vault'), `${n.host} (${n.role}) runs under systemd with secure_vault: after a reboot systemd starts it without password-tmp, so it waits for the keystore password at a console and stays down until the next provision; set secure_vault_persist_password: true to keep the password in password-persist (0600), or re-run provision after reboots`);
    }
  }
  return warnings;
}
