import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepContext } from '../../../src/steps/index.js';
import { previewStep, stepKinds } from '../../../src/steps/index.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import type { RecordingTransport } from '../../fakes/recording-transport.js';
import { shellTransport } from './shell.js';

const context = (transport: RecordingTransport): StepContext =>
  ({ transport, transportFor: () => undefined, contents: new Map(), clock: new FakeClock({ autoAdvance: true }), waitHealthy: async () => [] });

describe('fetch-file: a backup from the database host to the controller', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apim-fetch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const step = (path: string, localPath: string) => ({
    id: `db-1/fetch-file/${path}`, host: 'db-1', reason: 'a copy off the database host', certainty: 'certain' as const, after: [],
    kind: 'fetch-file' as const, path, localPath,
  });

  it('copies, checked against the host\'s sha256, then finds the controller holds it', async () => {
    const remote = join(dir, 'apim_db-4.5.0-20261202T084700Z.dump');
    writeFileSync(remote, 'PGDMP backup bytes');
    const t = shellTransport('db-1');
    t.seedFile(remote, 'PGDMP backup bytes');
    const s = step(remote, join(dir, 'controller', 'm', 'apim_db.dump'));
    expect(await stepKinds['fetch-file'].apply(s, context(t))).toMatchObject({ status: 'changed' });
    expect(readFileSync(s.localPath, 'utf8')).toBe('PGDMP backup bytes');
    expect(existsSync(`${s.localPath}.part`)).toBe(false);
    expect(await stepKinds['fetch-file'].apply(s, context(t))).toMatchObject({ status: 'unchanged', reason: expect.stringMatching(/holds it already/) });
    expect(previewStep(s).lines).toEqual([`get-file ${remote} ${s.localPath}  # skip when the controller holds the same sha256`, `sha256sum -- ${remote}`]);
  });

  it('refuses a copy that differs from the file on the host, and an absent file', async () => {
    const remote = join(dir, 'a.dump');
    writeFileSync(remote, 'on disk');
    const t = shellTransport('db-1');
    t.seedFile(remote, 'something else');
    const s = step(remote, join(dir, 'c', 'a.dump'));
    await expect(stepKinds['fetch-file'].apply(s, context(t))).rejects.toThrow(/does not match its sha256/);
    expect(existsSync(s.localPath)).toBe(false);
    await expect(stepKinds['fetch-file'].apply(step(join(dir, 'none.dump'), join(dir, 'c', 'n')), context(t))).rejects.toThrow(/is absent: nothing to copy/);
  });
});
