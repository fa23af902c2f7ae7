import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriftError, PlaceDriftError, RemoteError } from '../../../src/errors.js';
import type { PutOptions } from '../../../src/transport/transport.js';
import type { StepContext } from '../../../src/steps/index.js';
import { previewStep, stepKinds } from '../../../src/steps/index.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport, sha256 } from '../../fakes/recording-transport.js';
import { steps } from './fixtures.js';
import { shellTransport } from './shell.js';

/** A scripted host whose transport checks in its placement: records each guarded put; `found` set = refuses, as the guard would. */
class GuardingTransport extends RecordingTransport {
  readonly guarded: { path: string; content: string | Uint8Array; opts: PutOptions; replaces: readonly (string | null)[] }[] = [];
  constructor(host: string, private readonly found?: string | null) {
    super(host);
  }
  async guardedPut(content: string | Uint8Array, path: string, opts: PutOptions, replaces: readonly (string | null)[]): Promise<void> {
    if (this.found !== undefined) throw new PlaceDriftError(this.host, path, this.found);
    this.guarded.push({ path, content, opts, replaces });
  }
}

function context(transport: RecordingTransport, clock = new FakeClock({ autoAdvance: true })): StepContext {
  return {
    transport,
    transportFor: () => undefined,
    contents: new Map(),
    clock,
    waitHealthy: async () => [],
  };
}

describe('steps against a real shell', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apim-steps-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('extract-archive strips the single top directory, renames into place, and is a no-op the second time', async () => {
    mkdirSync(join(dir, 'src/wso2am-4.6.0/bin'), { recursive: true });
    writeFileSync(join(dir, 'src/wso2am-4.6.0/bin/api-manager.sh'), 'echo hi\n');
    writeFileSync(join(dir, 'src/wso2am-4.6.0/.hidden'), 'x');
    execFileSync('zip', ['-qr', join(dir, 'pack.zip'), 'wso2am-4.6.0'], { cwd: join(dir, 'src') });
    const step = { ...steps.extract, archive: join(dir, 'pack.zip'), dest: join(dir, 'releases/4.6.0'), owner: undefined };
    mkdirSync(join(dir, 'releases'));
    const t = shellTransport();

    expect(await stepKinds['extract-archive'].apply(step, context(t))).toMatchObject({ status: 'changed' });
    expect(readFileSync(join(dir, 'releases/4.6.0/bin/api-manager.sh'), 'utf8')).toBe('echo hi\n');
    expect(existsSync(join(dir, 'releases/4.6.0/.hidden'))).toBe(true);
    expect(existsSync(join(dir, 'releases/4.6.0.partial'))).toBe(false);

    expect(await stepKinds['extract-archive'].apply(step, context(t))).toEqual({
      status: 'unchanged',
      reason: `release already unpacked at ${step.dest}`,
    });
    // The check and the unpacking share one exec (one sudo on a host), each time.
    expect(t.calls.filter((c) => c.op === 'exec')).toHaveLength(2);
  });

  it('extract-archive keeps a tarball with several top entries as is', async () => {
    mkdirSync(join(dir, 'src/a'), { recursive: true });
    writeFileSync(join(dir, 'src/b.txt'), 'b');
    execFileSync('tar', ['-czf', join(dir, 'pack.tar.gz'), '-C', join(dir, 'src'), 'a', 'b.txt']);
    const step = { ...steps.extract, archive: join(dir, 'pack.tar.gz'), dest: join(dir, 'jdk'), format: 'tar.gz' as const, owner: userInfo().username };
    await stepKinds['extract-archive'].apply(step, context(shellTransport()));
    expect(existsSync(join(dir, 'jdk/a'))).toBe(true);
    expect(readFileSync(join(dir, 'jdk/b.txt'), 'utf8')).toBe('b');
  });

  it('extract-archive of a corrupt archive fails and leaves no release behind', async () => {
    writeFileSync(join(dir, 'bad.zip'), 'not a zip');
    const step = { ...steps.extract, archive: join(dir, 'bad.zip'), dest: join(dir, 'rel'), owner: undefined };
    await expect(stepKinds['extract-archive'].apply(step, context(shellTransport()))).rejects.toThrow(RemoteError);
    expect(existsSync(join(dir, 'rel'))).toBe(false);
  });

  it('link swaps atomically and reports unchanged when already right', async () => {
    mkdirSync(join(dir, 'r1'));
    mkdirSync(join(dir, 'r2'));
    const t = shellTransport();
    const step = { ...steps.link, path: join(dir, 'current'), target: join(dir, 'r1') };
    expect((await stepKinds.link.apply(step, context(t))).status).toBe('changed');
    expect((await stepKinds.link.apply(step, context(t))).status).toBe('unchanged');
    expect((await stepKinds.link.apply({ ...step, target: join(dir, 'r2') }, context(t))).status).toBe('changed');
    expect(readlinkSync(join(dir, 'current'))).toBe(join(dir, 'r2'));
    expect(t.calls.filter((c) => c.op === 'exec')).toHaveLength(3);
  });

  it('run-once runs, writes its marker, and never runs again', async () => {
    const out = join(dir, 'count');
    const step = { ...steps.runOnce, argv: ['sh', '-c', 'echo run >> "$0"', out], marker: join(dir, 'state/done'), env: undefined };
    const t = shellTransport();
    expect((await stepKinds['run-once'].apply(step, context(t))).status).toBe('changed');
    expect(await stepKinds['run-once'].apply(step, context(t))).toMatchObject({ status: 'unchanged' });
    expect(readFileSync(out, 'utf8')).toBe('run\n');
    // Marker check, action and marker write: one exec each time.
    expect(t.calls.filter((c) => c.op === 'exec')).toHaveLength(2);
  });

  it('run-once without its marker but with its own record (done-check exits 0): writes the marker and skips the action', async () => {
    const out = join(dir, 'count');
    const record = join(dir, 'record');
    const step = { ...steps.runOnce, argv: ['sh', '-c', 'echo run >> "$0"; touch "$1"', out, record], marker: join(dir, 'state/done'), env: undefined,
      doneCheck: ['test', '-e', record] };
    expect((await stepKinds['run-once'].apply(step, context(shellTransport()))).status).toBe('changed');
    // The action committed, its marker was lost (a run stopped between the two): the record says it is done.
    rmSync(join(dir, 'state/done'));
    expect(await stepKinds['run-once'].apply(step, context(shellTransport()))).toMatchObject({ status: 'unchanged', reason: expect.stringMatching(/its own record says so/) });
    expect(existsSync(join(dir, 'state/done'))).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('run\n');
    // No record, no marker: it runs.
    rmSync(join(dir, 'state/done'));
    rmSync(record);
    expect((await stepKinds['run-once'].apply(step, context(shellTransport()))).status).toBe('changed');
    expect(readFileSync(out, 'utf8')).toBe('run\nrun\n');
  });

  it('remove-file removes the file, and is unchanged when it is not there', async () => {
    const path = join(dir, 'read-only.conf');
    writeFileSync(path, 'rule');
    const step = { ...steps.removeFile, path };
    expect((await stepKinds['remove-file'].apply(step, context(shellTransport()))).status).toBe('changed');
    expect(existsSync(path)).toBe(false);
    expect(await stepKinds['remove-file'].apply(step, context(shellTransport()))).toMatchObject({ status: 'unchanged', reason: `${path} is not there` });
  });

  it('run-once leaves no marker when the action fails, naming the exit meaning', async () => {
    const step = { ...steps.runOnce, argv: ['sh', '-c', 'echo boom >&2; exit 3'], marker: join(dir, 'done'), env: undefined };
    await expect(stepKinds['run-once'].apply(step, context(shellTransport()))).rejects.toThrow(/failed \(exit 3\)/);
    expect(existsSync(join(dir, 'done'))).toBe(false);
  });
});

describe('steps with a scripted host', () => {
  it('upload-file refuses when the host changed since the plan', async () => {
    const t = new RecordingTransport('gw-1');
    t.seedFile(steps.uploadFile.path, 'edited by hand');
    const plain = { ...steps.uploadFile, secret: false };
    expect(await stepKinds['upload-file'].precondition!(plain, t)).toBe(
      `host changed since plan: ${steps.uploadFile.path} sha256 is ${sha256('edited by hand').slice(0, 12)}, plan expected aaaaaaaaaaaa; re-run plan`,
    );
    // A secret-bearing file's hash would let a reader test password guesses: the message gives none.
    expect(steps.uploadFile.secret).toBe(true);
    expect(await stepKinds['upload-file'].precondition!(steps.uploadFile, t)).toBe(
      `host changed since plan: ${steps.uploadFile.path} has other content; re-run plan`,
    );
  });

  it('upload-file puts the rendered content with mode and owner', async () => {
    const t = new RecordingTransport('gw-1');
    const content = 'offset = 0\n';
    const step = { ...steps.uploadFile, sha256: sha256(content), expectSha256: null };
    expect(await stepKinds['upload-file'].precondition!(step, t)).toBeNull();
    const ctx = { ...context(t), contents: new Map([[step.sha256, { sha256: step.sha256, content, secret: true }]]) };
    await stepKinds['upload-file'].apply(step, ctx);
    expect(t.calls.at(-1)).toEqual({ op: 'put', path: step.path, content, opts: { mode: '0600', owner: 'wso2carbon' } });
  });

  it('upload-file on a transport that checks in its placement (guardedPut): no separate re-check, the plan\'s two sha256s go with the put', async () => {
    const t = new GuardingTransport('gw-1');
    const content = 'offset = 0\n';
    const step = { ...steps.uploadFile, sha256: sha256(content) };
    expect(await stepKinds['upload-file'].precondition!(step, t)).toBeNull();
    expect(t.calls).toEqual([]);
    const ctx = { ...context(t), contents: new Map([[step.sha256, { sha256: step.sha256, content, secret: true }]]) };
    expect(await stepKinds['upload-file'].apply(step, ctx)).toMatchObject({ status: 'changed' });
    expect(t.guarded).toEqual([{ path: step.path, content, opts: { mode: '0600', owner: 'wso2carbon' }, replaces: [step.expectSha256, step.sha256] }]);
  });

  it('upload-file on such a transport: a destination that changed fails the step as drift, worded as the re-check words it', async () => {
    const content = 'offset = 0\n';
    const plain = { ...steps.uploadFile, sha256: sha256(content), secret: false };
    const contents = new Map([[plain.sha256, { sha256: plain.sha256, content, secret: false }]]);
    const found = sha256('edited by hand');
    const drifted = new GuardingTransport('gw-1', found);
    await expect(stepKinds['upload-file'].apply(plain, { ...context(drifted), contents })).rejects.toThrow(new DriftError('gw-1',
      `host changed since plan: ${plain.path} sha256 is ${found.slice(0, 12)}, plan expected aaaaaaaaaaaa; re-run plan`));
    await expect(stepKinds['upload-file'].apply({ ...plain, secret: true }, { ...context(new GuardingTransport('gw-1', null)), contents })).rejects.toThrow(
      `host changed since plan: ${plain.path} is gone; re-run plan`);
  });

  it('upload-artifact skips when the host already has the bytes', async () => {
    const t = new RecordingTransport('gw-1');
    t.on('verify-and-stamp', { stdout: `${'c'.repeat(64)}\n` });
    expect(await stepKinds['upload-artifact'].apply(steps.uploadArtifact, context(t))).toMatchObject({ status: 'unchanged' });
    expect(t.calls.some((c) => c.op === 'putFile')).toBe(false);
  });

  it('upload-artifact uploads without hashing first when the plan found no file there, then verifies what landed', async () => {
    const t = new RecordingTransport('gw-1');
    t.on('verify-and-stamp', { stdout: `${'c'.repeat(64)}\n` });
    const step = { ...steps.uploadArtifact, absentWhenPlanned: true } as const;
    expect(await stepKinds['upload-artifact'].apply(step, context(t))).toMatchObject({ status: 'changed' });
    expect(t.calls.map((c) => (c.op === 'exec' ? (c.line.includes('verify-and-stamp') ? 'verify' : c.line) : c.op))).toEqual(['putFile', 'verify']);
    expect(previewStep(step).lines.map((l) => l.replace(/ .*/, ''))).toEqual(['put-file', 'openssl']);
  });

  it('start-component does nothing when the PID file names a live process', async () => {
    const t = new RecordingTransport('gw-1').on('pid-alive', { stdout: '4242\n' });
    expect(await stepKinds['start-component'].apply(steps.start, context(t))).toEqual({
      status: 'unchanged',
      reason: 'already running (pid 4242)',
    });
  });

  it('stop-component waits for the PID to exit', async () => {
    let polls = 0;
    const t = new RecordingTransport('gw-1')
      .on('pid-alive', { stdout: '4242\n' })
      .on('process-alive 4242', () => ({ exitCode: ++polls < 3 ? 0 : 1 }));
    const clock = new FakeClock({ autoAdvance: true });
    expect(await stepKinds['stop-component'].apply(steps.stop, context(t, clock))).toMatchObject({ status: 'changed' });
    expect(t.lines).toContain('/opt/wso2/gateway/current/bin/gateway.sh stop');
    expect(t.lines).not.toContain('kill -KILL 4242');
    expect(clock.now()).toBe(1000);
  });

  it('stop-component sends SIGKILL with a warning after graceMs', async () => {
    let killed = false;
    const t = new RecordingTransport('gw-1')
      .on('pid-alive', { stdout: '4242\n' })
      .on('process-alive 4242', () => ({ exitCode: killed ? 1 : 0 }))
      .on('kill -KILL 4242', () => ((killed = true), {}));
    const clock = new FakeClock({ autoAdvance: true });
    const outcome = await stepKinds['stop-component'].apply(steps.stop, context(t, clock));
    expect(outcome.warnings).toEqual(['gateway (pid 4242) did not exit within 30000 ms of stop; sent SIGKILL']);
    expect(clock.now()).toBe(30_000);
  });

  it('stop-component of a stopped component is unchanged and runs no stop', async () => {
    const t = new RecordingTransport('gw-1').on('pid-alive', { exitCode: 1 });
    expect((await stepKinds['stop-component'].apply(steps.stop, context(t))).status).toBe('unchanged');
    expect(t.lines).toHaveLength(1);
  });
});
