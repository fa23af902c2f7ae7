import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { migrationDatabase } from '../../../src/workflows/migrate/scope.js';

const node = (host: string, role: string) => ({ host, role });

describe('migrate: the database host it migrates', () => {
  it('one database host: that one', () => {
    expect(migrationDatabase([node('cp-1', 'control-plane'), node('db-1', 'database'), node('lb-1', 'load-balancer')], 'inv.yaml').host).toBe('db-1');
  });

  it('none: refused, naming the inventory', () => {
    expect(() => migrationDatabase([node('aio-1', 'all-in-one')], 'inv.yaml')).toThrow(/inv.yaml has no database role/);
  });

  it('one per datacenter (replicated): refused before any change, naming every database host', () => {
    let err: unknown;
    try {
      migrationDatabase([node('dc1-db', 'database'), node('dc1-cp', 'control-plane'), node('dc2-db', 'database')], 'multi.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('multi.yaml has 2 database hosts (dc1-db, dc2-db)');
    expect((err as Error).message).toContain('Nothing was changed');
  });
});
