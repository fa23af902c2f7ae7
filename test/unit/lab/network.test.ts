import { describe, expect, it } from 'vitest';
import { parseSubnet } from '../../../src/lab/hosts/addresses.js';
import { defaultBastionSubnet, planHosts, planNetwork, vethBridges } from '../../../src/lab/hosts/network.js';
import { UsageError } from '../../../src/errors.js';

const subnet = parseSubnet('10.213.7.0/24');
const dirOf = (h: string) => `/s/hosts/${h}`;

describe('lab network plan', () => {
  it('puts every host on the lab bridge, with the controller at .1, when there is no bastion', () => {
    const net = planNetwork('lab', subnet, undefined);
    expect(net).toEqual({ subnet, bridge: 'br-lab', bridgeAddress: '10.213.7.1' });
    const hosts = planHosts('lab', net, [{ name: 'cp-1' }, { name: 'gw-1' }], dirOf);
    expect(hosts.map((h) => [h.name, h.address, h.veth, h.internal])).toEqual([['cp-1', '10.213.7.11', 'vlab-11', false], ['gw-1', '10.213.7.12', 'vlab-12', false]]);
    expect(vethBridges(net, hosts)).toEqual([{ bridge: 'br-lab', veths: ['vlab-11', 'vlab-12'] }]);
  });

  it('hides the hosts on an internal bridge and adds a bastion on both with --bastion', () => {
    const net = planNetwork('lab', subnet, {});
    expect(defaultBastionSubnet(subnet)).toBe('10.213.135.0/24');
    expect(net).toMatchObject({ bridge: 'br-lab', bridgeAddress: '10.213.135.1', bastion: { subnet: '10.213.135.0/24', innerBridge: 'bi-lab' } });
    const hosts = planHosts('lab', net, [{ name: 'cp-1' }, { name: 'gw-1' }], dirOf);
    expect(hosts.map((h) => [h.name, h.address, h.internal])).toEqual([
      ['cp-1', '10.213.7.11', true], ['gw-1', '10.213.7.12', true], ['bastion', '10.213.135.11', false]]);
    expect(hosts[2]!.inner).toEqual({ address: '10.213.7.2', veth: 'vlab-2' });
    expect(vethBridges(net, hosts)).toEqual([
      { bridge: 'br-lab', veths: ['vlab-b'] }, { bridge: 'bi-lab', veths: ['vlab-11', 'vlab-12', 'vlab-2'] }]);
  });

  it('refuses a bastion subnet equal to the hosts\' and a host named like the bastion', () => {
    expect(() => planNetwork('lab', subnet, { subnet: '10.213.7.0/24' })).toThrow(UsageError);
    expect(() => planHosts('lab', planNetwork('lab', subnet, {}), [{ name: 'bastion' }], dirOf)).toThrow(/bastion/);
  });
});
