/**
 * The estate the migrate lab tests start from: pattern 2 at 4.5.0 (all-in-one, gateway, balancer, PostgreSQL) with a
 * green partner beside each WSO2 host, and both versions' simulated packs. One per test file (its own lab name and
 * subnet); `deployWithGreen` writes the inventory and its `green:` section.
 */
import { appendFileSync } from 'node:fs';
import { baseVars, postgres, type DeploymentSpec } from './inventory.js';
import { useLab, type LabFixture } from './lab-fixture.js';

export const MIGRATION_BLUE = ['aio-1', 'gw-1'] as const;
export const MIGRATION_GREEN = ['aio-1-green', 'gw-1-green'] as const;
export const MIGRATION_BLUE_NODES = ['aio-1/all-in-one', 'gw-1/gateway'] as const;

export interface MigrationLab {
  readonly lab: LabFixture;
  readonly spec: DeploymentSpec;
  /** Writes the inventory (.env beside it) with every blue WSO2 host's green partner; returns its path. */
  deployWithGreen(): string;
}

export function migrationLab(o: { workspace: string; name: string; subnet: string; deployment: string; loadBalancer?: 'nginx' | 'haproxy' }): MigrationLab {
  const lab = useLab({ workspace: o.workspace, versions: ['4.5.0', '4.6.0'], lab: { name: o.name, names: [...MIGRATION_BLUE, 'lb-1', 'db-1', ...MIGRATION_GREEN], subnet: o.subnet } });
  const spec: DeploymentSpec = {
    name: o.deployment, pattern: 2, version: '4.5.0',
    hosts: Object.fromEntries([...MIGRATION_BLUE, 'lb-1', 'db-1'].map((h) => [h, {}])),
    roles: { 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'], database: ['db-1'] },
    vars: { ...baseVars(postgres('db-1')), ...(o.loadBalancer ? { load_balancer: o.loadBalancer } : {}) },
  };
  return {
    lab, spec,
    deployWithGreen() {
      const inventory = lab.deploy(spec).inventory;
      appendFileSync(inventory, `green:\n${MIGRATION_BLUE.map((h) => `  ${h}: { address: ${lab.address(`${h}-green`)} }\n`).join('')}`);
      return inventory;
    },
  };
}
