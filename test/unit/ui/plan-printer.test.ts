import { describe, expect, it } from 'vitest';
import { PLAN_FORMAT, type FileContent, type Plan, type Step } from '../../../src/model/plan.js';
import { previewStep } from '../../../src/steps/index.js';
import { formatPlan } from '../../../src/ui/index.js';
import { sha256 } from '../../fakes/recording-transport.js';

const file = (content: string, secret: boolean): FileContent => ({ sha256: sha256(content), content, secret });
const oldToml = file('[server]\noffset = 0\n[super_admin]\npassword = "hunter2"\n', true);
const newToml = file('[server]\noffset = 1\n[super_admin]\npassword = "correct horse"\n', true);
const oldConf = file('upstream gateways {\n  server 10.0.0.5:8243;\n  server 10.0.0.6:8243;\n}\n', false);
const newConf = file('upstream gateways {\n  server 10.0.0.5:8243 down;\n  server 10.0.0.6:8243;\n}\n', false);

const base = { certainty: 'certain' as const, after: [] as string[] };
const steps: Step[] = [
  { ...base, id: 'gw-1/upload-file/deployment.toml', host: 'gw-1', kind: 'upload-file', reason: 'config changed', path: '/opt/wso2/gateway/current/repository/conf/deployment.toml', mode: '0600', owner: 'wso2carbon', sha256: newToml.sha256, expectSha256: oldToml.sha256, secret: true },
  { ...base, id: 'gw-1/start-component/gateway', host: 'gw-1', kind: 'start-component', reason: 'config changed: restart', certainty: 'conditional', component: 'gateway', argv: ['/opt/wso2/gateway/current/bin/gateway.sh', 'start'], env: {} },
  { ...base, id: 'lb-1/upload-file/nginx.conf', host: 'lb-1', kind: 'upload-file', reason: 'sha256 differs', path: '/etc/nginx/conf.d/apim.conf', mode: '0644', owner: 'root', sha256: newConf.sha256, expectSha256: oldConf.sha256, secret: false },
];
const plan: Plan = {
  format: PLAN_FORMAT, inventory: '/inv/lab.yaml', apimVersion: '4.6.0', createdAt: '2026-01-01T00:00:00Z', factsFingerprint: {},
  waves: [{ label: 'gateway', steps: steps.slice(0, 2) }, { label: 'load-balancer', steps: steps.slice(2) }],
  unchanged: [{ host: 'gw-2', reason: 'everything up to date' }],
};

describe('formatPlan', () => {
  it('prints per wave and host each step, its commands, a diff, and secret files as keys only', () => {
    const contents = new Map([oldToml, newToml, oldConf, newConf].map((f) => [f.sha256, f]));
    const out = formatPlan({ plan, preview: previewStep, contents, unreachable: new Map([['lb-1', 'connect ECONNREFUSED']]) });
    expect(out).toEqual([
      '== wave 1: gateway',
      'gw-1',
      '  * update /opt/wso2/gateway/current/repository/conf/deployment.toml (0600, wso2carbon, holds secrets): config changed',
      `      $ # re-check: sha256sum -- /opt/wso2/gateway/current/repository/conf/deployment.toml is ${oldToml.sha256.slice(0, 12)}`,
      `      $ put /opt/wso2/gateway/current/repository/conf/deployment.toml mode=0600 owner=wso2carbon sha256=${newToml.sha256.slice(0, 12)}`,
      '      secret values hidden; keys changed:',
      '        [server] offset: changed (*** → ***)',
      '        [super_admin] password: changed (*** → ***)',
      '  ? start gateway: config changed: restart (decided at run time)',
      `      $ sh -c 'setsid "$@" </dev/null' start-component /opt/wso2/gateway/current/bin/gateway.sh start`,
      '',
      '== wave 2: load-balancer',
      'lb-1  (UNREACHABLE: connect ECONNREFUSED; shown from the inventory alone)',
      '  * update /etc/nginx/conf.d/apim.conf (0644, root): sha256 differs',
      `      $ # re-check: sha256sum -- /etc/nginx/conf.d/apim.conf is ${oldConf.sha256.slice(0, 12)}`,
      `      $ put /etc/nginx/conf.d/apim.conf mode=0644 owner=root sha256=${newConf.sha256.slice(0, 12)}`,
      '      --- a/etc/nginx/conf.d/apim.conf',
      '      +++ b/etc/nginx/conf.d/apim.conf',
      '      @@ -1,4 +1,4 @@',
      '       upstream gateways {',
      '      -  server 10.0.0.5:8243;',
      '      +  server 10.0.0.5:8243 down;',
      '         server 10.0.0.6:8243;',
      '       }',
      '',
      'gw-2: no changes (everything up to date)',
      '3 steps in 2 waves.',
    ]);
    expect(out.join('\n')).not.toMatch(/hunter2|correct horse/);
  });
});
