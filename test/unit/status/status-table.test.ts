import { describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../src/model/health.js';
import { formatStatus, type StatusNodeView, type StatusReportView } from '../../../src/ui/status-table.js';

const check: HealthCheck = { kind: 'tcp', host: '10.0.0.5', port: 8243 };
const okNode = (host: string, role: string, over: Partial<StatusNodeView> = {}): StatusNodeView => ({
  host, role, kind: 'wso2', unreachable: null, release: '4.6.0-a85b5ced', version: '4.6.0', versionDiffers: false,
  process: { state: 'running', pid: 134 }, health: { healthy: true, checks: [{ check, healthy: true, detail: 'port open' }] },
  drift: [], ok: true, ...over,
});
const report = (nodes: StatusNodeView[]): StatusReportView => ({
  name: 'lab', pattern: '3', apimVersion: '4.6.0', nodes, ok: nodes.every((n) => n.ok),
  urls: [{ label: 'Gateway sample API (HTTPS)', url: 'https://10.0.0.9:8243/echo', datacenter: null }],
});

describe('formatStatus', () => {
  it('prints an aligned table, a one-line verdict and the URLs when all is well', () => {
    const out = formatStatus(report([okNode('cp-1', 'control-plane'), okNode('lb-1', 'load-balancer', { kind: 'service', release: null, version: null,
      process: { state: 'running', pid: null } })]));
    expect(out).toBe([
      'lab: pattern 3, API Manager 4.6.0',
      '',
      'HOST  ROLE           RELEASE         PID      HEALTH   CONFIG',
      'cp-1  control-plane  4.6.0-a85b5ced  134      healthy  in sync',
      'lb-1  load-balancer  -               running  healthy  in sync',
      '',
      'All 2 nodes healthy and in sync.',
      '',
      'Open or curl (-k: self-signed certificates):',
      '  Gateway sample API (HTTPS)  https://10.0.0.9:8243/echo',
      '',
    ].join('\n'));
  });

  it('says what is wrong with each node that needs attention', () => {
    const out = formatStatus(report([
      okNode('gw-1', 'gateway', { ok: false, process: { state: 'dead', pid: 99 },
        health: { healthy: false, checks: [{ check, healthy: false, detail: 'port 10.0.0.5:8243 closed' }] } }),
      okNode('gw-2', 'gateway', { ok: false, drift: [{ path: '/opt/wso2/gateway/current/repository/conf/deployment.toml', problem: 'differs' }] }),
      okNode('tm-1', 'traffic-manager', { ok: false, unreachable: 'tm-1: connection refused', release: null, process: { state: 'unknown', pid: null } }),
      okNode('cp-1', 'control-plane', { ok: false, versionDiffers: true, release: '4.5.0-0123abcd', version: '4.5.0' }),
    ]));
    expect(out).toContain('gw-1  gateway          4.6.0-a85b5ced               DEAD (99)  UNHEALTHY    in sync');
    expect(out).toContain('gw-2  gateway          4.6.0-a85b5ced               134        healthy      DRIFT (1 file)');
    expect(out).toContain('tm-1  traffic-manager  ?                            ?          UNREACHABLE  ?');
    expect(out).toContain('cp-1  control-plane    4.5.0-0123abcd (WANT 4.6.0)');
    expect(out).toContain('4 of 4 nodes need attention:');
    expect(out).toContain('  gw-1/gateway\n    health: port 10.0.0.5:8243 closed\n');
    expect(out).toContain('    config: /opt/wso2/gateway/current/repository/conf/deployment.toml differs from the rendering\n');
    expect(out).toContain('    host unreachable: tm-1: connection refused\n');
    expect(out).toContain('    runs 4.5.0, the inventory wants 4.6.0\n');
    expect(out).toContain('(apim-deploy provision applies the inventory)');
  });
});
