import type { Step, StepOf } from '../../../src/model/plan.js';

const base = { reason: 'test', certainty: 'certain' as const, after: [] as string[] };

/** One step of each kind, as the planner would emit them for gw-1. */
export const steps = {
  ensureDir: { ...base, id: 'gw-1/ensure-dir/releases', host: 'gw-1', kind: 'ensure-dir', paths: ['/opt/wso2/gateway/releases', '/opt/wso2/gateway/logs dir'], mode: '0750', owner: 'wso2carbon:wso2' },
  uploadFile: {
    ...base, id: 'gw-1/upload-file/toml', host: 'gw-1', kind: 'upload-file', path: '/opt/wso2/gateway/conf/deployment.toml',
    mode: '0600', owner: 'wso2carbon', sha256: 'b'.repeat(64), expectSha256: 'a'.repeat(64), secret: true,
  },
  uploadArtifact: {
    ...base, id: 'gw-1/upload-artifact/gw', host: 'gw-1', kind: 'upload-artifact', localPath: '/dist/wso2am-universal-gw-4.6.0.zip',
    path: '/opt/wso2/dist/wso2am-universal-gw-4.6.0.zip', sha256: 'c'.repeat(64), size: 31 * 1024 * 1024,
  },
  extract: {
    ...base, id: 'gw-1/extract-archive/4.6.0', host: 'gw-1', kind: 'extract-archive', archive: '/opt/wso2/dist/wso2am-universal-gw-4.6.0.zip',
    dest: '/opt/wso2/gateway/releases/4.6.0-cccccccc', format: 'zip', owner: 'wso2carbon:wso2',
  },
  link: { ...base, id: 'gw-1/link/current', host: 'gw-1', kind: 'link', path: '/opt/wso2/gateway/current', target: '/opt/wso2/gateway/releases/4.6.0-cccccccc' },
  runOnce: {
    ...base, id: 'km-1/run-once/profile', host: 'km-1', kind: 'run-once', name: 'key-manager profile setup',
    argv: ['/opt/wso2/key-manager/current/bin/profileSetup.sh', '-Dprofile=key-manager', '--skipConfigOptimization'],
    marker: '/opt/wso2/key-manager/state/.km_profile_setup_complete', env: { JAVA_HOME: '/opt/java' },
  },
  start: {
    ...base, id: 'gw-1/start-component/gateway', host: 'gw-1', kind: 'start-component', component: 'gateway',
    argv: ['/opt/wso2/gateway/current/bin/gateway.sh', 'start'], env: { JAVA_HOME: '/opt/java', JVM_MEM_OPTS: '-Xms256m -Xmx1g' },
    pidFile: '/opt/wso2/gateway/current/wso2carbon.pid',
  },
  stop: {
    ...base, id: 'gw-1/stop-component/gateway', host: 'gw-1', kind: 'stop-component', component: 'gateway',
    argv: ['/opt/wso2/gateway/current/bin/gateway.sh', 'stop'], pidFile: '/opt/wso2/gateway/current/wso2carbon.pid', graceMs: 30_000,
  },
  removeFile: { ...base, id: 'lb-1/remove-file/window', host: 'lb-1', kind: 'remove-file', path: '/etc/nginx/apim-deploy-window/read-only.conf' },
  reload: { ...base, id: 'lb-1/reload-component/nginx', host: 'lb-1', kind: 'reload-component', component: 'load-balancer', argv: ['nginx', '-s', 'reload'] },
  waitHealthy: {
    ...base, id: 'gw-1/wait-healthy/gateway', host: 'gw-1', kind: 'wait-healthy', component: 'gateway',
    checks: [
      { kind: 'http', url: 'https://10.0.0.5:9443/services/Version', expectStatus: [200], from: 'controller', insecureTls: true },
      { kind: 'tcp', host: '10.0.0.5', port: 8243 },
    ],
    policy: { timeoutMs: 120_000, firstIntervalMs: 1000, maxIntervalMs: 10_000, settleMs: 2000 },
    logFile: '/opt/wso2/gateway/current/repository/logs/wso2carbon.log',
  },
  drain: {
    ...base, id: 'gw-1/drain/gateway', host: 'gw-1', kind: 'drain', component: 'gateway', via: 'lb-1', undrain: false,
    address: '10.0.0.5', ports: [8243, 8280], graceMs: 10_000,
  },
  balancerSet: {
    ...base, id: 'lb-1/balancer-set/maint-gw-1-gateway', host: 'lb-1', node: { host: 'gw-1', role: 'gateway' }, kind: 'balancer-set', to: 'maint',
    argv: ['sh', '-c', 'lb-set "$@"', 'balancer-set'], servers: ['apim_gateway_http/10.0.0.5:8280', 'apim_gateway_https/10.0.0.5:8243'],
  },
  balancerWindow: {
    ...base, id: 'lb-1/balancer-window/read-only', host: 'lb-1', kind: 'balancer-window', to: 'read-only',
    argv: ['sh', '-c', 'lb-window "$@"', 'balancer-window', '/etc/haproxy/apim-deploy-window.map'],
  },
  waitRoutable: {
    ...base, id: 'lb-1/wait-routable/gw-1-gateway', host: 'lb-1', node: { host: 'gw-1', role: 'gateway' }, kind: 'wait-routable', timeoutMs: 10_000,
    state: ['lb-state'], servers: [{ id: 'apim_gateway_http/10.0.0.5:8280', address: '10.0.0.5', port: 8280 }, { id: 'apim_gateway_https/10.0.0.5:8243', address: '10.0.0.5', port: 8243 }],
  },
} satisfies Record<string, Step>;

export type Fixture<K extends Step['kind']> = StepOf<K>;
