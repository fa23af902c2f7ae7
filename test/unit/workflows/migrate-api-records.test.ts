import { describe, expect, it } from 'vitest';
import { missingOnGreen } from '../../../src/workflows/migrate/api-records.js';
import { migrationStart } from '../../../src/workflows/migrate/verify-green.js';

const api = (id: string, createdTime: string | null) => ({ id, name: id, version: '1.0', provider: 'admin', createdTime });

describe('verify-green: blue\'s API records on green', () => {
  it('reads the start of a migration from its id', () => {
    expect(migrationStart('4.5.0-to-4.6.0-20261202T084700Z')?.toISOString()).toBe('2026-12-02T08:47:00.000Z');
    expect(migrationStart('nonsense')).toBeNull();
  });
  it('asks green for every record blue held at the start (and those of unknown time), not those written later', () => {
    const since = new Date('2026-12-02T08:47:00Z');
    const blue = [api('a', '2026-12-02T08:00:00.000Z'), api('b', null), api('c', '2026-12-02T09:00:00.000Z'), api('d', '2026-12-02T08:46:59.000Z')];
    expect(missingOnGreen(blue, [api('a', null)], since).map((a) => a.id)).toEqual(['b', 'd']);
    expect(missingOnGreen(blue, blue, since)).toEqual([]);
  });
  it('reads a creation time in epoch milliseconds, and checks a record whose time it cannot read instead of skipping it', () => {
    const since = new Date('2026-12-02T08:47:00Z');
    const blue = [api('ms-before', String(since.getTime() - 1000)), api('ms-after', String(since.getTime() + 1000)), api('garbled', 'yesterday-ish')];
    expect(missingOnGreen(blue, [], since).map((a) => a.id)).toEqual(['ms-before', 'garbled']);
  });
});
