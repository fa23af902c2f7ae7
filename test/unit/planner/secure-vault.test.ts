/**
 * secure_vault in the plan: each start of a WSO2 node writes password-tmp first (from the run's contents, by a key
 * that names no secret); with secure_vault_persist_password the password is a kept, rendered password-persist instead.
 */
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import type { Step } from '../../../src/model/plan.js';
import type { NodeVars } from '../../../src/model/vars.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import type { NodeVaultCipher } from '../../../src/render/render-inventory.js';
import { loadExample } from '../render/examples.js';
import { allSteps, converged, inventoryInputs } from './fixtures.js';

const fakeCipher: NodeVaultCipher = () => ({ encrypt: (alias) => Buffer.from(`cipher of ${alias}`).toString('base64') });
const withVars = (inv: Inventory, vars: Partial<NodeVars>): Inventory => ({ ...inv, nodes: inv.nodes.map((n) => ({ ...n, vars: { ...n.vars, ...vars } })) });
const starts = (steps: readonly Step[]) => steps.filter((s): s is Extract<Step, { kind: 'start-component' }> => s.kind === 'start-component');

describe('secure_vault in the plan (pattern 0)', () => {
  it('gives every start the node\'s password-tmp, and nothing in the plan holds the password', async () => {
    const inv = withVars(await loadExample('pattern-0'), { secure_vault: true });
    const inputs = inventoryInputs(inv, { vault: fakeCipher });
    const plan = buildPlan(inputs);
    const [start] = starts(allSteps(plan));
    expect(start!.secretFile).toEqual({ path: '/opt/wso2/all-in-one/current/password-tmp', owner: 'wso2carbon:wso2', key: 'vault-password:apim-dev:all-in-one' });
    const admin = inv.nodes[0]!.vars.admin_password!.reveal();
    expect(JSON.stringify(plan)).not.toContain(admin);
    const toml = inputs.rendered[0]!.files.find((f) => f.dest === 'repository/conf/deployment.toml')!;
    expect(toml.content).not.toContain(admin);
    expect(toml.content).toContain('password = "$secret{super_admin_password}"');
  });

  it('a node that runs and is in sync is not started, so no password is written', async () => {
    const inv = withVars(await loadExample('pattern-0'), { secure_vault: true });
    expect(starts(allSteps(buildPlan(converged(inventoryInputs(inv, { vault: fakeCipher })))))).toEqual([]);
  });

  it('secure_vault_persist_password: a rendered password-persist (0600, service user) and no password-tmp at start', async () => {
    const inv = withVars(await loadExample('pattern-0'), { secure_vault: true, secure_vault_persist_password: true });
    const inputs = inventoryInputs(inv, { vault: fakeCipher });
    const file = inputs.rendered[0]!.files.find((f) => f.dest === 'password-persist')!;
    expect(file).toMatchObject({ mode: '0600', owner: 'wso2carbon', group: 'wso2', secret: true, path: '/opt/wso2/all-in-one/current/password-persist' });
    expect(file.content).toBe(`${inv.nodes[0]!.vars.keystore_password.reveal()}\n`);
    expect(starts(allSteps(buildPlan(inputs)))[0]!.secretFile).toBeUndefined();
  });

  it('off by default: no $secret, no password file', async () => {
    const inputs = inventoryInputs(await loadExample('pattern-0'));
    expect(inputs.rendered[0]!.files.some((f) => f.content.includes('$secret{') || f.dest.startsWith('password-'))).toBe(false);
    expect(starts(allSteps(buildPlan(inputs)))[0]!.secretFile).toBeUndefined();
  });
});
