/**
 * service_manager unset: each host's init-system read rides on its connection's opening command (openRun hands
 * serviceManagerReads to the connections); the answers decide, and a host asked that way gets no command of its own.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initSystemArgv } from '../../../src/facts/index.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { rolePaths } from '../../../src/topology/layout.js';
import { serviceManagerReads, withDetectedServiceManager } from '../../../src/workflows/run/service-manager.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/inventories/good/pattern-2');
const load = () => loadInventory(`${FIXTURE}.yaml`, { envFile: `${FIXTURE}.env`, requireArtifacts: false });
const managerOf = (inv: Awaited<ReturnType<typeof load>>) =>
  Object.fromEntries(inv.nodes.map((n) => [`${n.host}/${n.role}`, n.vars.service_manager]));

describe('service-manager detection', () => {
  it('reads, per host, the init system and whether the start script runs each WSO2 node there', async () => {
    const inv = await load();
    const reads = serviceManagerReads(inv);
    expect([...reads.keys()].sort()).toEqual(['aio-1', 'gw-1']);
    const gw = rolePaths(inv.nodes.find((n) => n.host === 'gw-1' && n.role === 'gateway')!.vars.install_dir, 'gateway');
    expect(reads.get('gw-1')).toEqual(initSystemArgv([{ role: 'gateway', home: gw.home, unitName: gw.unitName }]));
  });

  it('takes the answers given when the connections opened, and asks no host again', async () => {
    const inv = await load();
    const transports = new Map(['aio-1', 'gw-1'].map((h) => [h, new RecordingTransport(h, { strict: true })]));
    const answered = new Map([
      ['aio-1', { exitCode: 0, stdout: 'systemd\n' }],
      ['gw-1', { exitCode: 0, stdout: 'systemd\nscript-installed gateway\n' }],
    ]);
    const detected = await withDetectedServiceManager(inv, transports, answered);
    expect([...transports.values()].flatMap((t) => t.lines)).toEqual([]);
    expect(managerOf(detected)).toMatchObject({ 'aio-1/all-in-one': 'systemd', 'gw-1/gateway': 'script' });
  });

  it('asks a host that has no answer (connections a test or a caller opened itself)', async () => {
    const inv = await load();
    const aio = new RecordingTransport('aio-1').on('/run/systemd/system', { stdout: 'systemd\n' });
    const gw = new RecordingTransport('gw-1').on('/run/systemd/system', { stdout: '' });
    const detected = await withDetectedServiceManager(inv, new Map([['aio-1', aio], ['gw-1', gw]]), new Map([['gw-1', { exitCode: 0, stdout: '' }]]));
    expect(aio.lines).toHaveLength(1);
    expect(gw.lines).toEqual([]);
    expect(managerOf(detected)).toMatchObject({ 'aio-1/all-in-one': 'systemd', 'gw-1/gateway': 'script' });
  });
});
