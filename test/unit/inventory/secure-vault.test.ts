/** validate on secure_vault: the reboot warning on systemd nodes, a persist flag that does nothing. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_IN_ONE_HEAD, writtenInventories } from './written-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-vault-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nKS=Ks-pw-1\n');
const { load } = writtenInventories(dir, ALL_IN_ONE_HEAD);
const messages = (inv: { warnings: readonly { message: string }[] }) => inv.warnings.map((w) => w.message);

describe('secure_vault at validate', () => {
  it('warns, at the secure_vault line, that a systemd node will not come back from a reboot without a persisted password', async () => {
    const inv = await load('  secure_vault: true\n  service_manager: systemd\n');
    const [w] = inv.warnings.filter((x) => x.message.includes('password-tmp'));
    expect(w).toMatchObject({ line: 9, message: expect.stringContaining('set secure_vault_persist_password: true') });
    expect(messages(await load('  secure_vault: true\n  service_manager: systemd\n  secure_vault_persist_password: true\n'))).toEqual([]);
    expect(messages(await load('  secure_vault: true\n'))).toEqual([]); // script: every start is ours
  });

  it('warns that secure_vault_persist_password does nothing without secure_vault', async () => {
    expect(messages(await load('  secure_vault_persist_password: true\n'))).toEqual([expect.stringContaining('does nothing on aio-1 (all-in-one): secure_vault is off')]);
  });
});
