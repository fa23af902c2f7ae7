import { createHash } from 'node:crypto';
import type { ResolvedRuntime } from '../catalog/runtime.js';
import { CARBON_PASSWORD_FILES } from '../model/vault.js';
import { vaultPasswordFile } from '../secrets/vault-keystore.js';
import { destPath } from '../topology/layout.js';
import type { NodeContext } from '../topology/types.js';
import type { RenderedFile } from './render-inventory.js';

/**
 * `secure_vault_persist_password: true`: the keystore password as Carbon's password-persist (read at every start and
 * kept), a rendered file like any other (0600, the service user's), so starts apim-deploy does not perform (systemd at
 * boot) open the vault too. The operator opts into a password on disk, readable by the service user only.
 */
export function persistedVaultPassword(ctx: NodeContext, runtime: ResolvedRuntime): RenderedFile[] {
  if (runtime.kind !== 'wso2' || !runtime.home || !ctx.vars.secure_vault || !ctx.vars.secure_vault_persist_password) return [];
  const content = vaultPasswordFile(ctx.vars);
  return [{
    path: destPath(runtime.home, CARBON_PASSWORD_FILES.kept),
    dest: CARBON_PASSWORD_FILES.kept,
    template: '(secure_vault_persist_password)',
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    mode: '0600',
    owner: ctx.vars.service_user,
    group: ctx.vars.service_group,
    secret: true,
    onChange: 'restart',
  }];
}
