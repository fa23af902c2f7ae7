import { describe, expect, it } from 'vitest';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { wso2Server } from '../../../src/catalog/variants.js';
import { crossVersionNodes, sameSchema } from '../../../src/catalog/version-policy.js';
import type { VersionPolicy } from '../../../src/model/role.js';

const policy = (schemaChangesWith: VersionPolicy['schemaChangesWith']): VersionPolicy => ({ schemaChangesWith, migrateCommand: 'apim-deploy migrate' });

describe('version policy: which version changes roll in place on the same databases', () => {
  it('the shipped policy (roles/wso2-server.yaml): one x.y.z rolls in place, any other release migrates', () => {
    const shipped = wso2Server(defaultRoleCatalog()).versionPolicy;
    expect(shipped).toEqual({ schemaChangesWith: 'patch', migrateCommand: 'apim-deploy migrate' });
    expect(sameSchema(shipped, '4.6.0', '4.6.0')).toBe(true); // update levels and JDK changes: same version
    expect(sameSchema(shipped, '4.5.0', '4.6.0')).toBe(false);
    expect(sameSchema(shipped, '4.6.0', '4.5.0')).toBe(false); // back down is no in-place roll either
    expect(sameSchema(shipped, '4.6.0', '4.6.1')).toBe(false);
    expect(sameSchema(shipped, '4.6.0', '5.6.0')).toBe(false);
  });

  it('compares only the version parts before the one whose change changes the schema', () => {
    expect(sameSchema(policy('minor'), '4.6.0', '4.6.3')).toBe(true);
    expect(sameSchema(policy('minor'), '4.6.0', '4.7.0')).toBe(false);
    expect(sameSchema(policy('major'), '4.6.0', '4.7.0')).toBe(true);
    expect(sameSchema(policy('major'), '4.6.0', '5.0.0')).toBe(false);
  });

  it('refuses what is not a version rather than guess', () => {
    expect(() => sameSchema(policy('patch'), '4.6', '4.6.0')).toThrow('"4.6" is not a version like 4.6.0');
    expect(() => sameSchema(policy('patch'), '4.6.0', 'latest')).toThrow('"latest" is not a version like 4.6.0');
  });

  it('groups the nodes that cannot roll to the target by the version they run', () => {
    const running = new Map([['cp-1/control-plane', '4.5.0'], ['gw-1/gateway', '4.5.0'], ['gw-2/gateway', '4.6.0'], ['tm-1/traffic-manager', '4.4.0']]);
    expect(crossVersionNodes(policy('patch'), running, '4.6.0')).toEqual(new Map([
      ['4.5.0', ['cp-1/control-plane', 'gw-1/gateway']],
      ['4.4.0', ['tm-1/traffic-manager']],
    ]));
    expect(crossVersionNodes(policy('patch'), new Map([['gw-2/gateway', '4.6.0']]), '4.6.0').size).toBe(0);
  });
});
