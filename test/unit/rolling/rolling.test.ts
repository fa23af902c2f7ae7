/** Rolling order: batches by dependency layer and datacenter, batch sizes, reverse order for rollback. */
import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { UsageError } from '../../../src/errors.js';
import type { RoleName } from '../../../src/model/inventory.js';
import { batchSize, parseBatchSpec, rollingBatches, type RollingNode } from '../../../src/planner/rolling.js';

const DEPS: Partial<Record<RoleName, RoleName[]>> = {
  'control-plane': ['database'], 'key-manager': ['control-plane'], 'traffic-manager': ['control-plane', 'key-manager'],
  gateway: ['control-plane', 'key-manager', 'traffic-manager'],
};
/** Batch limits as roles/<role>/role.yaml sets them (`upgrade.maxBatch`). */
const policy = (role: RoleName) => defaultRoleCatalog()[role].upgrade;
const node = (host: string, role: RoleName, datacenter: string | null = null): RollingNode =>
  ({ node: { host, role }, datacenter, runtime: { dependsOn: DEPS[role] ?? [], upgrade: policy(role) } });
const pattern3 = [node('gw-1', 'gateway'), node('cp-1', 'control-plane'), node('gw-2', 'gateway'), node('tm-1', 'traffic-manager'),
  node('cp-2', 'control-plane'), node('gw-3', 'gateway'), node('tm-2', 'traffic-manager')];
const summary = (b: ReturnType<typeof rollingBatches>) => b.map((x) => `${x.label}: ${x.nodes.map((n) => n.host).join(',')}`);

describe('--batch', () => {
  it('parses counts and percentages, refuses the rest', () => {
    expect(parseBatchSpec('2')).toEqual({ kind: 'count', count: 2 });
    expect(parseBatchSpec('25%')).toEqual({ kind: 'percent', percent: 25 });
    for (const bad of ['0', '-1', '0%', '101%', 'all', '1.5']) expect(() => parseBatchSpec(bad)).toThrow(UsageError);
  });

  it('never takes the whole role unless it has one node; control planes and traffic managers one at a time', () => {
    expect(batchSize({ kind: 'count', count: 10 }, policy('gateway'), 4)).toBe(3);
    expect(batchSize({ kind: 'percent', percent: 25 }, policy('gateway'), 6)).toBe(2);
    expect(batchSize({ kind: 'percent', percent: 100 }, policy('gateway'), 2)).toBe(1);
    expect(batchSize({ kind: 'count', count: 5 }, policy('gateway'), 1)).toBe(1);
    expect(batchSize({ kind: 'count', count: 5 }, policy('control-plane'), 2)).toBe(1);
    expect(batchSize({ kind: 'count', count: 5 }, policy('traffic-manager'), 2)).toBe(1);
    expect(batchSize({ kind: 'count', count: 5 }, policy('all-in-one'), 3)).toBe(1);
    expect(batchSize({ kind: 'count', count: 2 }, policy('key-manager'), 3)).toBe(2);
    expect(batchSize({ kind: 'count', count: 4 }, { maxBatch: 2 }, 6)).toBe(2);
  });
});

describe('rollingBatches', () => {
  it('pattern 3: control planes one by one, then traffic managers, then gateways in batches', () => {
    expect(summary(rollingBatches(pattern3, { batch: parseBatchSpec('2'), datacenters: [] }))).toEqual([
      'control-plane batch 1/2: cp-1', 'control-plane batch 2/2: cp-2',
      'traffic-manager batch 1/2: tm-1', 'traffic-manager batch 2/2: tm-2',
      'gateway batch 1/2: gw-1,gw-2', 'gateway batch 2/2: gw-3',
    ]);
  });

  it('rollback order: gateways first, control planes last', () => {
    expect(summary(rollingBatches(pattern3, { batch: parseBatchSpec('1'), datacenters: [], reverse: true })).map((s) => s.split(':')[0])).toEqual([
      'gateway batch 1/3', 'gateway batch 2/3', 'gateway batch 3/3', 'traffic-manager batch 1/2', 'traffic-manager batch 2/2',
      'control-plane batch 1/2', 'control-plane batch 2/2',
    ]);
  });

  it('multi-DC: one datacenter at a time, the primary first', () => {
    const nodes = [node('gw-b1', 'gateway', 'dc-b'), node('cp-a1', 'control-plane', 'dc-a'), node('gw-a1', 'gateway', 'dc-a'), node('cp-b1', 'control-plane', 'dc-b')];
    expect(summary(rollingBatches(nodes, { batch: parseBatchSpec('1'), datacenters: ['dc-a', 'dc-b'] }))).toEqual([
      'dc-a: control-plane batch 1/1: cp-a1', 'dc-a: gateway batch 1/1: gw-a1', 'dc-b: control-plane batch 1/1: cp-b1', 'dc-b: gateway batch 1/1: gw-b1',
    ]);
  });

  it('batch size counts the whole role even when some nodes are already done', () => {
    const left = [node('gw-2', 'gateway'), node('gw-3', 'gateway')];
    expect(summary(rollingBatches(left, { batch: parseBatchSpec('2'), datacenters: [], roleSize: () => 3 }))).toEqual(['gateway batch 1/1: gw-2,gw-3']);
    expect(summary(rollingBatches(left, { batch: parseBatchSpec('2'), datacenters: [] }))).toEqual(['gateway batch 1/2: gw-2', 'gateway batch 2/2: gw-3']);
  });
});
