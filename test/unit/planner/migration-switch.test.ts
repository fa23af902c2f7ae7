import { describe, expect, it } from 'vitest';
import type { BalancedNode } from '../../../src/planner/rolling-window.js';
import { clientSwitchSteps, type SwitchBalancer } from '../../../src/planner/migration/switch.js';

const node = (host: string, address: string): BalancedNode => ({
  node: { host, role: 'gateway' }, address, ports: [8280, 8243],
  servers: [{ id: `apim_gateway_http/${address}:8280`, address, port: 8280 }, { id: `apim_gateway_https/${address}:8243`, address, port: 8243 }],
});
const blue = node('gw-1', '10.0.0.5');
const green = node('gw-1-green', '10.0.0.25');
const config = (current: string | null): SwitchBalancer['config'] => ({
  path: '/etc/nginx/nginx.conf', mode: '0644', owner: 'root:root', sha256: 'g'.repeat(64), expectSha256: current, reload: ['nginx', '-s', 'reload'],
});
const rule = { dest: '/etc/nginx/apim-deploy-window/read-only.conf', sha256: 'r'.repeat(64), reload: ['nginx', '-s', 'reload'] };
const nginx = (current: string | null, held: boolean): SwitchBalancer => ({
  host: 'lb-1', to: [green], from: [blue], config: config(current), runtime: null,
  window: { host: 'lb-1', kind: 'nginx', rule, current: held ? rule.sha256 : null },
});
const marker = { host: 'db-1', marker: '/var/lib/apim-deploy/migrations/m/switch.done', side: 'green' as const, recordHere: true };
const kinds = (steps: ReturnType<typeof clientSwitchSteps>) => steps.map((s) => `${s.host} ${s.kind}${s.kind === 'balancer-set' ? ` ${s.to}` : ''}`);

describe('the switch as steps', () => {
  it('nginx: green reachable first, then its config and the window lifted in one reload, then blue drained; recorded last on the database host', () => {
    const steps = clientSwitchSteps([nginx('b'.repeat(64), true)], marker, true);
    expect(kinds(steps)).toEqual(['lb-1 wait-routable', 'lb-1 remove-file', 'lb-1 upload-file', 'lb-1 reload-component', 'lb-1 drain', 'db-1 run-once']);
    for (let i = 1; i < 5; i++) expect(steps[i]!.after).toEqual([steps[i - 1]!.id]);
    expect(steps[4]).toMatchObject({ kind: 'drain', undrain: false, address: '10.0.0.5', ports: [8280, 8243] });
    expect(steps[5]).toMatchObject({ kind: 'run-once', marker: marker.marker, after: [steps[4]!.id] });
  });
  it('a balancer on the new side already plans nothing once the controller recorded the side; unrecorded, it is reloaded again', () => {
    expect(kinds(clientSwitchSteps([nginx('g'.repeat(64), false)], marker, false))).toEqual(['db-1 run-once']);
    expect(kinds(clientSwitchSteps([nginx('g'.repeat(64), false)], marker, true))).toEqual(['lb-1 wait-routable', 'lb-1 reload-component', 'lb-1 drain', 'db-1 run-once']);
  });
  it('HAProxy: through the runtime API, no reload: green probed, routable, ready; blue maint and drained by its sessions; the config written last', () => {
    const runtime = { set: ['balancer-set'], state: ['state'], sessions: ['sessions'] };
    const steps = clientSwitchSteps([{ ...nginx('b'.repeat(64), false), window: null, runtime }], marker, true);
    expect(kinds(steps)).toEqual(['lb-1 balancer-set probe', 'lb-1 wait-routable', 'lb-1 balancer-set ready', 'lb-1 balancer-set maint', 'lb-1 drain', 'lb-1 upload-file', 'db-1 run-once']);
    expect(steps[2]).toMatchObject({ servers: green.servers.map((s) => s.id) });
    expect(steps[4]).toMatchObject({ sessions: { argv: ['sessions'], servers: blue.servers.map((s) => s.id) } });
    expect(steps.some((s) => s.kind === 'reload-component')).toBe(false);
  });
  it('the rollback removes the database host\'s record of the switch instead', () => {
    const back = clientSwitchSteps([{ ...nginx('g'.repeat(64), false), to: [blue], from: [green], config: { ...config('g'.repeat(64)), sha256: 'b'.repeat(64) } }], { ...marker, side: 'blue' }, true);
    expect(back.at(-1)).toMatchObject({ kind: 'remove-file', host: 'db-1', path: marker.marker });
    expect(back.find((s) => s.kind === 'drain')).toMatchObject({ address: '10.0.0.25' });
  });
  it('a datacenter\'s switch that is not the one to record it (multi-datacenter, not the last to green) leaves the marker alone', () => {
    expect(kinds(clientSwitchSteps([nginx('b'.repeat(64), false)], { ...marker, recordHere: false }, true))).toEqual(['lb-1 wait-routable', 'lb-1 upload-file', 'lb-1 reload-component', 'lb-1 drain']);
    expect(clientSwitchSteps([nginx('g'.repeat(64), false)], { ...marker, side: 'blue', recordHere: false }, false)).toEqual([]);
  });
});
