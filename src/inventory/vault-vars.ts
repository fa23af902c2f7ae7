import type { VarSpec } from './variables.js';

/**
 * WSO2 secure vault (issue 12), set at vars, role_vars, datacenter or host level like any variable:
 * - `secure_vault`: every password apim-deploy writes into deployment.toml becomes `$secret{alias}`, its value
 *   encrypted on the controller with the node's vault keystore (src/secrets/vault-keystore.ts) under `[secrets]`;
 *   the keystore password reaches the node as Carbon's `password-tmp`, written just before each start we perform.
 * - `secure_vault_persist_password`: also keep the keystore password in `password-persist` (0600), so a start
 *   apim-deploy does not perform (systemd after a reboot) finds it. Off: such a start waits at Carbon's console
 *   prompt and the node stays down until the next provision; validate warns about it on systemd nodes.
 */
export const VAULT_VARIABLES = {
  secure_vault: { scope: 'node', kind: { kind: 'bool' }, default: false },
  secure_vault_persist_password: { scope: 'node', kind: { kind: 'bool' }, default: false },
} as const satisfies Record<string, VarSpec>;
