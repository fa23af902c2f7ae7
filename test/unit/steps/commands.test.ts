import { describe, expect, it } from 'vitest';
import { EXTRACT_SCRIPT } from '../../../src/steps/extract-archive.js';
import { previewStep, stepKinds } from '../../../src/steps/index.js';
import { commandLine } from '../../../src/transport/quote.js';
import { DETACH_SCRIPT } from '../../../src/steps/start-component.js';
import { steps } from './fixtures.js';

const lines = (step: Parameters<typeof previewStep>[0]): string[] =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (stepKinds[step.kind].commands as (s: any) => readonly Parameters<typeof commandLine>[0][])(step).map((c) => commandLine(c).wire);

/** The exact command line each step kind sends (Kamal test/commands style). */
describe('step commands', () => {
  it('ensure-dir: one install -d with mode and owner for all its directories, each one quoted', () => {
    expect(lines(steps.ensureDir)).toEqual(["install -d -m 0750 -o wso2carbon -g wso2 -- /opt/wso2/gateway/releases '/opt/wso2/gateway/logs dir'"]);
    expect(previewStep(steps.ensureDir).description).toBe('ensure directories /opt/wso2/gateway/releases, /opt/wso2/gateway/logs dir (0750, wso2carbon:wso2)');
    expect(previewStep({ ...steps.ensureDir, paths: ['/opt/wso2/gateway/releases'] }).description).toBe('ensure directory /opt/wso2/gateway/releases (0750, wso2carbon:wso2)');
  });

  it('upload-file and upload-artifact: transfers, shown in the preview', () => {
    expect(lines(steps.uploadFile)).toEqual([]);
    expect(previewStep(steps.uploadFile)).toEqual({
      description: 'update /opt/wso2/gateway/conf/deployment.toml (0600, wso2carbon, holds secrets)',
      lines: [
        '# re-check: sha256sum -- /opt/wso2/gateway/conf/deployment.toml is aaaaaaaaaaaa',
        'put /opt/wso2/gateway/conf/deployment.toml mode=0600 owner=wso2carbon sha256=bbbbbbbbbbbb',
      ],
    });
    // apply hashes through verifyAndStampCommand (OpenSSL, else sha256sum), never a bare sha256sum: the preview says so,
    // and no command line of another shape is listed beside it.
    expect(lines(steps.uploadArtifact)).toEqual([]);
    const preview = previewStep(steps.uploadArtifact).lines;
    expect(preview).toHaveLength(3);
    expect(preview[0]).toMatch(/^openssl dgst -sha256 .*\/opt\/wso2\/dist\/wso2am-universal-gw-4\.6\.0\.zip.*# skip when it is /);
    expect(preview[1]).toBe('put-file /dist/wso2am-universal-gw-4.6.0.zip /opt/wso2/dist/wso2am-universal-gw-4.6.0.zip mode=0644');
    expect(preview[2]).toMatch(/# must be [0-9a-f]+.*, then stamped$/);
  });

  it('extract-archive: fixed script, values as positional parameters', () => {
    const [cmd] = stepKinds['extract-archive'].commands(steps.extract);
    expect(cmd?.argv).toEqual([
      'sh', '-c', EXTRACT_SCRIPT, 'extract-archive',
      '/opt/wso2/dist/wso2am-universal-gw-4.6.0.zip', '/opt/wso2/gateway/releases/4.6.0-cccccccc', 'zip', 'wso2carbon:wso2',
    ]);
    expect(lines(steps.extract)[0]).toMatch(/^sh -c 'set -eu\n.*' extract-archive \/opt\/wso2\/dist\/wso2am-universal-gw-4\.6\.0\.zip /s);
  });

  it('link: new link beside, then an atomic rename', () => {
    expect(lines(steps.link)).toEqual([
      'ln -sfn -- /opt/wso2/gateway/releases/4.6.0-cccccccc /opt/wso2/gateway/current.new',
      'mv -Tf -- /opt/wso2/gateway/current.new /opt/wso2/gateway/current',
    ]);
  });

  it('run-once: the action with its env, then the marker', () => {
    expect(lines(steps.runOnce)).toEqual([
      "JAVA_HOME=/opt/java /opt/wso2/key-manager/current/bin/profileSetup.sh '-Dprofile=key-manager' --skipConfigOptimization",
      'mkdir -p -- /opt/wso2/key-manager/state',
      'touch -- /opt/wso2/key-manager/state/.km_profile_setup_complete',
    ]);
  });

  it('start-component: detached from the SSH session, env quoted', () => {
    expect(DETACH_SCRIPT).toBe('setsid "$@" </dev/null');
    expect(lines(steps.start)).toEqual([
      `JAVA_HOME=/opt/java JVM_MEM_OPTS='-Xms256m -Xmx1g' sh -c 'setsid "$@" </dev/null' start-component /opt/wso2/gateway/current/bin/gateway.sh start`,
    ]);
  });

  it('stop-component, reload-component: their argv as is', () => {
    expect(lines(steps.stop)).toEqual(['/opt/wso2/gateway/current/bin/gateway.sh stop']);
    expect(lines(steps.reload)).toEqual(['nginx -s reload']);
  });

  it('remove-file: rm -f, the path after --', () => {
    expect(lines(steps.removeFile)).toEqual(['rm -f -- /etc/nginx/apim-deploy-window/read-only.conf']);
  });

  it('wait-healthy: no commands of its own, checks in the preview', () => {
    expect(lines(steps.waitHealthy)).toEqual([]);
    expect(previewStep(steps.waitHealthy)).toEqual({
      description: 'wait until gateway is healthy (2 checks, up to 120s)',
      lines: [
        'check: GET https://10.0.0.5:9443/services/Version from controller, expect 200, self-signed TLS accepted',
        'check: TCP 10.0.0.5:8243 from controller',
      ],
    });
  });

  it('drain: watches established connections to the node on the load balancer', () => {
    expect(lines(steps.drain)).toEqual(['ss -Htn state established dst 10.0.0.5']);
    expect(lines({ ...steps.drain, undrain: true })).toEqual([]);
  });

  it('quotes hostile values instead of letting the shell read them', () => {
    const hostile = { ...steps.link, path: "/opt/x'; rm -rf / #", target: '$(reboot)' };
    expect(lines(hostile)[0]).toBe(`ln -sfn -- '$(reboot)' '/opt/x'\\''; rm -rf / #.new'`);
  });
});
