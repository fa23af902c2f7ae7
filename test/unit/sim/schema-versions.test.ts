import { describe, expect, it } from 'vitest';
import { migrationScriptPath, stepsUpTo } from '../../../src/lab/dist/migration-entries.js';
import { updatedZipName } from '../../../src/lab/dist/build.js';
import { schemaAccepts, schemaMismatchCause, SCHEMA_FAILURE_LOGGER, SCHEMA_FAILURE_MESSAGE } from '../../../sim/rules/schema-versions.js';

describe('schema versions in the simulated packs', () => {
  it('a node starts only on a schema of its own x.y.z', () => {
    expect(schemaAccepts('4.6.0', '4.6.0')).toBe(true);
    expect(schemaAccepts('4.5.0', '4.6.0')).toBe(false);
    expect(schemaAccepts('4.6.0', '4.5.0')).toBe(false);
    expect(`${SCHEMA_FAILURE_LOGGER} - ${SCHEMA_FAILURE_MESSAGE}`).toBe('org.wso2.carbon.apimgt.impl.internal.APIManagerComponent - Error while initializing the API manager component');
    expect(schemaMismatchCause('apim_db', '4.5.0', '4.6.0')).toContain('database apim_db holds the API Manager 4.5.0 schema and this node is 4.6.0');
  });

  it('a pack carries one migration step per release pair up to its version, laid out as the migration resources', () => {
    expect(stepsUpTo('4.6.0').slice(-2)).toEqual([['4.4.0', '4.5.0'], ['4.5.0', '4.6.0']]);
    expect(stepsUpTo('4.6.0')).toHaveLength(6);
    expect(stepsUpTo('4.0.0')).toEqual([]);
    expect(stepsUpTo('4.6.3')).toEqual([]); // not a release: no steps invented
    expect(migrationScriptPath('4.5.0', '4.6.0', 'apim_db', 'postgresql'))
      .toBe('migration-resources/migration-scripts/pre-migration-scripts/migration-4.5.0_to_4.6.0/postgresql.sql');
    expect(migrationScriptPath('4.5.0', '4.6.0', 'shared_db', 'mysql'))
      .toBe('migration-resources/migration-scripts/pre-migration-scripts/migration-4.5.0_to_4.6.0/shared_db/mysql.sql');
  });

  it('names an updated pack with the four-part version, the pack as released without it', () => {
    expect(updatedZipName('wso2am-acp-4.6.0.zip', 12)).toBe('wso2am-acp-4.6.0.12.zip');
    expect(updatedZipName('wso2am-acp-4.6.0.zip', 0)).toBe('wso2am-acp-4.6.0.zip');
  });
});
