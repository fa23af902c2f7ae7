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
const rule = { dest: '/etc/nginx/apim-deploy-window/read-only.conf', sha256: 'r'.repeat(64), reload: ['nginx', '-s', 'reload'], runtime: null, lifted: 'absent' as const };
const nginx = (current: string | null, held: boolean): SwitchBalancer => ({
  host: 'lb-1', to: [green], from: [blue], config: config(current), runtime: null, flag: null,
  window: { host: 'lb-1', kind: 'nginx', rule, current: held ? rule.sha256 : null },
});
const marker = { host: 'db-1', marker: '/var/lib/apim-deploy/migrations/m/switch.done', side: 'green' as const, recordHere: true };
const kinds = (steps: ReturnType<typeof clientSwitchSteps>) => steps.map((s) => `${s.host} ${s.kind}${s.kind === 'balancer-set' ? ` ${s.to}` : ''}`);

const FLAG = '/etc/nginx/apim-deploy-clients-on-green';
const flagged = (o: { flag: 'present' | 'absent'; want: 'green' | 'blue'; window?: 'held' | 'old' | 'none'; config?: 'in place' | 'old' }): SwitchBalancer => ({
  ...nginx(o.config === 'old' ? 'o'.repeat(64) : 'g'.repeat(64), false),
  ...(o.want === 'blue' ? { to: [blue], from: [green] } : {}),
  window: { host: 'lb-1', kind: 'nginx', rule, current: o.window === 'held' ? rule.sha256 : o.window === 'old' ? 'x'.repeat(64) : null },
  flag: { path: FLAG, want: o.want === 'green' ? { sha256: 'f'.repeat(64), mode: '0644', owner: 'root:root' } : null, current: o.flag === 'present' ? 'f'.repeat(64) : null },
});
const paths = (steps: ReturnType<typeof clientSwitchSteps>) => steps.map((s) => ('path' in s ? `${s.kind} ${s.path}` : s.kind));

describe('the switch by a flag file (nginx): no reload', () => {
  it('green reachable, the flag written, the read-only window removed, blue drained; recorded last; no reload', () => {
    const steps = clientSwitchSteps([flagged({ flag: 'absent', want: 'green', window: 'held' })], marker, true);
    expect(paths(steps)).toEqual(['wait-routable', `upload-file ${FLAG}`, `remove-file ${rule.dest}`, 'drain', `run-once`]);
    expect(steps[1]).toMatchObject({ expectSha256: null, sha256: 'f'.repeat(64), owner: 'root:root' });
    for (let i = 1; i < 4; i++) expect(steps[i]!.after).toEqual([steps[i - 1]!.id]);
    expect(steps[3]).toMatchObject({ kind: 'drain', address: '10.0.0.5' });
  });
  it('a balancer whose flag is on the new side plans nothing, recorded or not (the flag is the whole truth)', () => {
    expect(kinds(clientSwitchSteps([flagged({ flag: 'present', want: 'green' })], marker, true))).toEqual(['db-1 run-once']);
    expect(kinds(clientSwitchSteps([flagged({ flag: 'absent', want: 'blue' })], { ...marker, side: 'blue', recordHere: false }, true))).toEqual([]);
  });
  it('the rollback: blue reachable, the flag removed, green drained, the record removed', () => {
    const steps = clientSwitchSteps([flagged({ flag: 'present', want: 'blue' })], { ...marker, side: 'blue' }, true);
    expect(paths(steps)).toEqual(['wait-routable', `remove-file ${FLAG}`, 'drain', `remove-file ${marker.marker}`]);
    expect(steps[2]).toMatchObject({ address: '10.0.0.25' });
  });
  it('a config that does not pick a side by the flag yet is uploaded and reloaded before anything moves', () => {
    expect(paths(clientSwitchSteps([flagged({ flag: 'absent', want: 'green', config: 'old' })], marker, true)))
      .toEqual(['upload-file /etc/nginx/nginx.conf', 'reload-component', 'wait-routable', `upload-file ${FLAG}`, 'drain', 'run-once']);
  });
  it('a read-only rule of other content (an earlier apim-deploy) is reloaded away after its removal', () => {
    expect(paths(clientSwitchSteps([flagged({ flag: 'absent', want: 'green', window: 'old' })], marker, true)))
      .toEqual(['wait-routable', `upload-file ${FLAG}`, `remove-file ${rule.dest}`, 'reload-component', 'drain', 'run-once']);
  });
});

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
  it('HAProxy with the read-only window held: lifted through the runtime API once blue takes no new request, before the drain; its map emptied; a recorded switch lifts a window left held', () => {
    const runtime = { set: ['balancer-set'], state: ['state'], sessions: ['sessions'] };
    const mapRule = { dest: '/etc/haproxy/apim-deploy-window.map', sha256: 'm'.repeat(64), reload: ['haproxy-reload'], runtime: ['lb-window'], lifted: 'empty' as const };
    const haproxy = (config: string): SwitchBalancer => ({ ...nginx(config, false), runtime, window: { host: 'lb-1', kind: 'haproxy', rule: mapRule, current: mapRule.sha256 } });
    const steps = clientSwitchSteps([haproxy('b'.repeat(64))], marker, true);
    expect(kinds(steps)).toEqual(['lb-1 balancer-set probe', 'lb-1 wait-routable', 'lb-1 balancer-set ready', 'lb-1 balancer-set maint', 'lb-1 balancer-window',
      'lb-1 upload-file', 'lb-1 drain', 'lb-1 upload-file', 'db-1 run-once']);
    expect(steps[4]).toMatchObject({ to: 'writable', argv: ['lb-window'] });
    expect(steps[5]).toMatchObject({ path: mapRule.dest, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    // Clients on green, recorded, but the window still held (an earlier run stopped before lifting it): lifted alone.
    expect(kinds(clientSwitchSteps([haproxy('g'.repeat(64))], marker, false))).toEqual(['lb-1 balancer-window', 'lb-1 upload-file', 'db-1 run-once']);
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
