import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendDebugLog } from '../../../src/cli/debug-log.js';
import { reportError } from '../../../src/cli/report-error.js';
import { redact, Secret } from '../../../src/model/secret.js';

const secret = (v: string) => new Secret(v, 'test');

describe('Smaller: masking never reveals a short secret', () => {
  it('a short secret inside other words is left alone (masking it would spell it out)', () => {
    expect(redact('installed under /opt/wso2', [secret('opt')])).toBe('installed under /opt/wso2');
    expect(redact('keystore_password: changed', [secret('password')])).toBe('keystore_password: changed');
  });

  it('a short secret standing as a whole value is masked', () => {
    expect(redact('psql: password opt rejected', [secret('opt')])).toBe('psql: password *** rejected');
    expect(redact('--password=opt', [secret('opt')])).toBe('--password=***');
    expect(redact('postgresql://apim:opt@db-1/apim_db', [secret('opt')])).toBe('postgresql://apim:***@db-1/apim_db');
    expect(redact('"opt"', [secret('opt')])).toBe('"***"');
    expect(redact('opt', [secret('opt')])).toBe('***');
  });

  it('a long secret is masked wherever it appears, also inside a word', () => {
    expect(redact('xx-Correct-Horse-Battery-Staple-yy', [secret('Correct-Horse-Battery-Staple')])).toBe('xx-***-yy');
  });

  it('every occurrence, overlapping ones included, and the shipped default is never masked', () => {
    expect(redact('aa aa', [secret('aa')])).toBe('*** ***');
    expect(redact('runuser -u wso2carbon', [secret('wso2carbon')])).toBe('runuser -u wso2carbon');
  });
});

describe('item 13: the debug log is per user, private and never follows a planted link', () => {
  const saved = process.env['XDG_STATE_HOME'];
  afterEach(() => {
    if (saved === undefined) delete process.env['XDG_STATE_HOME'];
    else process.env['XDG_STATE_HOME'] = saved;
  });

  it('goes to $XDG_STATE_HOME/apim-deploy/debug.log, 0600 in a 0700 directory', () => {
    const state = mkdtempSync(join(tmpdir(), 'apim-state-'));
    process.env['XDG_STATE_HOME'] = state;
    const lines: string[] = [];
    expect(reportError(new TypeError('boom'), (s) => lines.push(s))).toBe(70);
    const log = join(state, 'apim-deploy', 'debug.log');
    expect(lines.join('')).toContain(log);
    expect(readFileSync(log, 'utf8')).toContain('TypeError: boom');
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(statSync(join(state, 'apim-deploy')).mode & 0o777).toBe(0o700);
  });

  it('a symlink planted at the log name is not followed: the target stays untouched, the log goes elsewhere', () => {
    const state = mkdtempSync(join(tmpdir(), 'apim-state-'));
    process.env['XDG_STATE_HOME'] = state;
    mkdirSync(join(state, 'apim-deploy'), { mode: 0o700 });
    const victim = join(state, 'victim');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(state, 'apim-deploy', 'debug.log'));
    const where = appendDebugLog('stack\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(where).not.toBe(join(state, 'apim-deploy', 'debug.log'));
    if (where) expect(lstatSync(where).isFile()).toBe(true);
  });

  it('a directory others can write into is not used', () => {
    const state = mkdtempSync(join(tmpdir(), 'apim-state-'));
    process.env['XDG_STATE_HOME'] = state;
    mkdirSync(join(state, 'apim-deploy'));
    chmodSync(join(state, 'apim-deploy'), 0o777);
    const where = appendDebugLog('stack\n');
    expect(where?.startsWith(join(state, 'apim-deploy'))).not.toBe(true);
  });
});
