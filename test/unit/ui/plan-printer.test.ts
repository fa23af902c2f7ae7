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

describe('formatPlan with read-only checks marked', () => {
  const mutates = (s: Step): boolean => s.kind !== 'wait-routable' && s.kind !== 'wait-healthy';
  const server = (host: string, port: number) => ({ id: `gw/${host}:${port}`, address: host, port, node: { host, role: 'gateway' as const } });
  const gate: Step = {
    ...base, id: 'lb-1/wait-routable/in-service', host: 'lb-1', kind: 'wait-routable', reason: 'gw-1 (re)started', after: ['gw-1/start-component/gateway'],
    servers: [server('gw-1', 8243), server('gw-1', 8280)], state: null, timeoutMs: 60_000, skipHeldOut: true,
  };
  // lb-1's own check waits on nothing that changes: counted, not shown.
  const ownCheck: Step = {
    ...base, id: 'lb-1/wait-healthy/load-balancer', host: 'lb-1', kind: 'wait-healthy', reason: 'verify', component: 'load-balancer',
    checks: [{ kind: 'command', argv: ['nginx', '-t'] }], policy: { timeoutMs: 60_000, firstIntervalMs: 500, maxIntervalMs: 5000, settleMs: 0 },
  };
  const quietPlan: Plan = {
    ...plan,
    waves: [{ label: 'gateway', steps: [steps[1]!] }, { label: 'verify', steps: [ownCheck] }, { label: 'load balancers route', steps: [gate] }],
    unchanged: [{ host: 'lb-1', reason: 'everything up to date' }],
  };

  it("shows an unchanged host's check that waits on a host with changes, and only that one", () => {
    const out = formatPlan({ plan: quietPlan, preview: previewStep, contents: new Map(), mutates });
    expect(out.filter((l) => l.startsWith('== wave'))).toEqual(['== wave 1: gateway', '== wave 3: load balancers route']);
    const at = out.indexOf('== wave 3: load balancers route');
    expect(out.slice(at, at + 5)).toEqual([
      '== wave 3: load balancers route',
      'lb-1  (no changes; waits on changes elsewhere)',
      '  - wait until lb-1 routes to gw-1/gateway (2 server(s), up to 60s): gw-1 (re)started (read-only check)',
      '      $ # until gw/gw-1:8243 is up on lb-1',
      '      $ # until gw/gw-1:8280 is up on lb-1',
    ]);
    expect(out.slice(-2)).toEqual(['lb-1: no changes (everything up to date)', 'Changes pending: 1 change(s) on 1 host(s), 2 read-only check(s).']);
    expect(out.join('\n')).not.toMatch(/nginx -t/);
  });
});
