/** start-component with a secret file (secure vault's password-tmp): written 0600 just before the start, never otherwise. */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/health/index.js';
import type { FileContent } from '../../../src/model/plan.js';
import { stepKinds, type StepContext } from '../../../src/steps/index.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { steps } from './fixtures.js';

const PATH = '/opt/wso2/gateway/current/password-tmp';
const KEY = 'vault-password:gw-1:gateway';
const step = { ...steps.start, secretFile: { path: PATH, owner: 'wso2carbon:wso2', key: KEY } };
const contents = new Map<string, FileContent>([[KEY, { sha256: KEY, content: 'Ks-pw-1', secret: true }]]);
const ctx = (t: RecordingTransport, c: ReadonlyMap<string, FileContent> = contents): StepContext => ({ transport: t, transportFor: () => undefined, contents: c, clock: systemClock, waitHealthy: async () => [] });
const START = 'gateway.sh start';

describe('start-component with secretFile', () => {
  it('writes the password (0600, the service user\'s) right before the start', async () => {
    const t = new RecordingTransport('gw-1');
    expect(await stepKinds['start-component'].apply(step, ctx(t))).toMatchObject({ status: 'changed' });
    const lines = t.lines;
    const put = lines.indexOf(`put ${PATH}`);
    expect(put).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l.includes(START))).toBeGreaterThan(put);
    expect(t.files.get(PATH)).toMatchObject({ mode: '0600', owner: 'wso2carbon:wso2' });
    expect(t.text(PATH)).toBe('Ks-pw-1');
  });

  it('writes nothing when the node already runs', async () => {
    const t = new RecordingTransport('gw-1').on(/wso2carbon\.pid/, { exitCode: 0, stdout: '4242\n' });
    expect(await stepKinds['start-component'].apply(step, ctx(t))).toMatchObject({ status: 'unchanged' });
    expect(t.files.has(PATH)).toBe(false);
  });

  it('takes the password off the disk again when the start fails', async () => {
    const t = new RecordingTransport('gw-1').on(START, { exitCode: 1, stderr: 'JAVA_HOME is not set' });
    await expect(stepKinds['start-component'].apply(step, ctx(t))).rejects.toThrow();
    expect(t.lines.at(-1)).toBe(`rm -f -- ${PATH}`);
  });

  it('shows where the password goes in the preview, never the password', () => {
    const preview = stepKinds['start-component'].preview!(step).join('\n');
    expect(preview).toContain(`put ${PATH} mode=0600 owner=wso2carbon:wso2`);
    expect(preview).not.toContain('Ks-pw-1');
    expect(JSON.stringify(step)).not.toContain('Ks-pw-1');
  });

  it('is a bug when the run has no content for it', async () => {
    await expect(stepKinds['start-component'].apply(step, ctx(new RecordingTransport('gw-1'), new Map()))).rejects.toThrow(`no content for ${PATH}`);
  });
});
