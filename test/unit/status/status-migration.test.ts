/** What status says during a migration: the side each balancer serves (read from its servers) and blue beside green. */
import { describe, expect, it } from 'vitest';
import { parseBalancerState } from '../../../src/model/balancer-state.js';
import { migrationLines, type MigrationView } from '../../../src/ui/status-migration.js';
import { formatStatus } from '../../../src/ui/status-table.js';
import { serverAddress, trafficSide } from '../../../src/workflows/status/traffic-side.js';

const clients = new Set(['apim_portals', 'apim_gateway_http', 'apim_gateway_https']);
const blue = new Set(['10.0.1.11', '10.0.3.11']);
const green = new Set(['10.0.1.21', '10.0.3.21', 'fd00::21']);

describe('which side takes traffic', () => {
  it('reads server addresses, IPv6 in brackets too', () => {
    expect(serverAddress('apim_gateway_http/10.0.3.11:8280')).toBe('10.0.3.11');
    expect(serverAddress('apim_gateway_http/[fd00::21]:8280')).toBe('fd00::21');
  });
  it('counts servers in service in the client upstreams only: a green-only listener does not make green take traffic', () => {
    const state = parseBalancerState([
      'apim_portals/10.0.1.11:9443 ready -', 'apim_gateway_http/10.0.3.11:8280 ready -', 'apim_gateway_https/10.0.3.11:8243 ready -',
      'green_gateway_http/10.0.3.21:8280 ready -',
    ].join('\n'));
    expect(trafficSide('lb-1', state, clients, blue, green)).toEqual({
      balancer: 'lb-1', side: 'blue', blue: ['apim_portals/10.0.1.11:9443', 'apim_gateway_http/10.0.3.11:8280', 'apim_gateway_https/10.0.3.11:8243'], green: [],
    });
  });
  it('green after a switch (blue down in the config), both half way, none when every server is out', () => {
    const after = parseBalancerState('apim_gateway_http/10.0.3.11:8280 maint -\napim_gateway_http/[fd00::21]:8280 ready -');
    expect(trafficSide('lb-1', after, clients, blue, green).side).toBe('green');
    const half = parseBalancerState('apim_gateway_http/10.0.3.11:8280 ready up\napim_gateway_http/10.0.3.21:8280 ready up');
    expect(trafficSide('lb-1', half, clients, blue, green).side).toBe('both');
    expect(trafficSide('lb-1', parseBalancerState('apim_gateway_http/10.0.3.11:8280 maint -'), clients, blue, green).side).toBe('none');
  });
});

const view: MigrationView = {
  id: '4.5.0-to-4.6.0-20261202T084700Z', from: '4.5.0', to: '4.6.0', window: 'read-only', phasesDone: ['backup', 'green-databases', 'schema'],
  traffic: [{ balancer: 'lb-1', side: 'blue', blue: ['a', 'b'], green: [] }, { balancer: 'lb-2', side: 'unread', blue: [], green: [], detail: 'socat: connection refused' }],
  pairs: [
    { blue: { host: 'cp-1', role: 'control-plane', state: 'probed', detail: null, version: '4.5.0', healthy: true },
      green: { host: 'cp-1-green', role: 'control-plane', state: 'not provisioned yet', detail: null, version: null, healthy: null } },
    { blue: { host: 'gw-1', role: 'gateway', state: 'probed', detail: null, version: '4.5.0', healthy: false },
      green: { host: 'gw-1b', role: 'gateway', state: 'unreachable', detail: 'connection refused', version: null, healthy: null } },
    { blue: { host: 'gw-2', role: 'gateway', state: 'probed', detail: null, version: '4.5.0', healthy: true, drift: 0 },
      green: { host: 'gw-2-green', role: 'gateway', state: 'probed', detail: null, version: '4.6.0', healthy: true, drift: 2 } },
  ],
};

describe('status during a migration', () => {
  it('says the migration, the side each balancer serves, and blue beside green; a green host not provisioned is no error', () => {
    expect(migrationLines(view)).toEqual([
      '',
      'Migration 4.5.0-to-4.6.0-20261202T084700Z: 4.5.0 (blue) → 4.6.0 (green), read-only window on blue; phases done: backup, green-databases, schema',
      '  traffic: lb-1 sends clients to BLUE (2 blue, 0 green server(s) in service)',
      '  traffic: lb-2: CANNOT READ its servers (socat: connection refused)',
      '  blue (4.5.0)                         green (4.6.0)',
      '  cp-1/control-plane: 4.5.0, healthy   cp-1-green/control-plane: not provisioned yet',
      '  gw-1/gateway: 4.5.0, UNHEALTHY       gw-1b/gateway: UNREACHABLE (connection refused)',
      '  gw-2/gateway: 4.5.0, healthy         gw-2-green/gateway: 4.6.0, healthy, 2 file(s) differ',
    ]);
  });
  it('is appended to the status table only while a migration runs', () => {
    const report = { name: 'p3', pattern: 'pattern-3', apimVersion: '4.5.0', nodes: [], urls: [], ok: true };
    expect(formatStatus(report)).not.toContain('Migration');
    expect(formatStatus({ ...report, migration: view })).toContain('traffic: lb-1 sends clients to BLUE');
  });
});
