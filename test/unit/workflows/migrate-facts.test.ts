import { describe, expect, it } from 'vitest';
import { doneMarkers, unfinishedMigration } from '../../../src/workflows/migrate/facts.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const ROOT = '/var/lib/apim-deploy/migrations';
/** A database host whose state dir holds these migration directories and files. */
const host = (tree: Record<string, string[]>) => new RecordingTransport('db-1').on(/^ls /, (c) => {
    const dir = String(c.argv[c.argv.length - 1]);
    if (dir === ROOT) return { exitCode: 0, stdout: Object.keys(tree).map((d) => `${d}\n`).join('') };
    const files = tree[dir.slice(ROOT.length + 1)];
    return files ? { exitCode: 0, stdout: files.map((f) => `${f}\n`).join('') } : { exitCode: 2, stderr: 'No such file or directory' };
});

describe('migration facts on the database host', () => {
  it('continues the newest unfinished migration of the same versions; a finished one or another pair starts anew', async () => {
    const t = host({
      '4.5.0-to-4.6.0-20261201T100000Z': ['finished', 'backup-apim_db.done'],
      '4.5.0-to-4.6.0-20261202T080000Z': ['backup-apim_db.done', 'apim_db-4.5.0-20261202T080000Z.dump'],
      '4.4.0-to-4.6.0-20261202T090000Z': [],
    });
    expect(await unfinishedMigration(t, '4.5.0', '4.6.0')).toBe('4.5.0-to-4.6.0-20261202T080000Z');
    expect(await unfinishedMigration(t, '4.6.0', '4.7.0')).toBeNull();
    expect(await unfinishedMigration(host({ '4.5.0-to-4.6.0-20261201T100000Z': ['finished'] }), '4.5.0', '4.6.0')).toBeNull();
    expect(await unfinishedMigration(new RecordingTransport('db-1').on(/^ls /, { exitCode: 2 }), '4.5.0', '4.6.0')).toBeNull();
  });
  it('lists the done markers, nothing else', async () => {
    const id = '4.5.0-to-4.6.0-20261202T080000Z';
    expect([...await doneMarkers(host({ [id]: ['backup-apim_db.done', 'apim_db-4.5.0-20261202T080000Z.dump', 'scripts'] }), id)])
      .toEqual([`${ROOT}/${id}/backup-apim_db.done`]);
  });
});
