import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { allocateAddresses, bridgeAddress, isInSubnet, parseSubnet } from '../../../src/lab/hosts/addresses.js';
import { passwdIds, renderEtcHosts, shadowWithRootStar } from '../../../src/lab/hosts/host-files.js';
import { macFor } from '../../../src/lab/hosts/mac.js';
import { parseMountPoints } from '../../../src/lab/hosts/mounts.js';
import { bridgeName, checkHostNames, checkLabName, IFNAME_MAX, labTag, vethName } from '../../../src/lab/hosts/names.js';
import { loginUserIds, shadowLine, sudoersRule, upsertEntry } from '../../../src/lab/hosts/login-user.js';
import { renderHostsYaml, renderKnownHosts, renderSshConfig } from '../../../src/lab/hosts/outputs.js';
import { parseProcStat } from '../../../src/lab/hosts/processes.js';
import { generateEd25519 } from '../../../src/lab/hosts/ssh-keys.js';
import { renderSshdConfig } from '../../../src/lab/hosts/sshd-config.js';
import { asGivenOptions, upOptionsFromState } from '../../../src/lab/hosts/recorded-options.js';
import type { LabUpOptions } from '../../../src/lab/hosts/lab-up.js';
import { LAB_STATE_FORMAT, parseLabState, type LabState } from '../../../src/lab/hosts/state.js';
import { ConfigError, UsageError } from '../../../src/errors.js';

describe('subnet and address allocation', () => {
  const subnet = parseSubnet('10.213.7.0/24');

  it('gives .11, .12, ... in the order given', () => {
    expect(allocateAddresses([{ name: 'a' }, { name: 'b' }, { name: 'c' }], subnet)).toEqual([
      '10.213.7.11', '10.213.7.12', '10.213.7.13',
    ]);
    expect(bridgeAddress(subnet)).toBe('10.213.7.1');
  });

  it('keeps fixed addresses and moves positional ones past them', () => {
    const hosts = [{ name: 'a' }, { name: 'b', address: '10.213.7.11' }, { name: 'c' }];
    expect(allocateAddresses(hosts, subnet)).toEqual(['10.213.7.12', '10.213.7.11', '10.213.7.13']);
  });

  it('refuses fixed addresses outside the subnet, the bridge address, or used twice', () => {
    expect(() => allocateAddresses([{ name: 'a', address: '10.213.8.11' }], subnet)).toThrow(/not a host address inside/);
    expect(() => allocateAddresses([{ name: 'a', address: '10.213.7.1' }], subnet)).toThrow(UsageError);
    expect(() => allocateAddresses([{ name: 'a', address: '10.213.7.20' }, { name: 'b', address: '10.213.7.20' }], subnet))
      .toThrow(/used twice/);
  });

  it('runs out of addresses at .254', () => {
    const many = Array.from({ length: 245 }, (_, i) => ({ name: `h${i}` }));
    expect(() => allocateAddresses(many, subnet)).toThrow(/too many hosts/);
    expect(allocateAddresses(many.slice(0, 244), subnet).at(-1)).toBe('10.213.7.254');
  });

  it('accepts only private /24 networks', () => {
    expect(parseSubnet('192.168.40.0/24').prefix).toBe('192.168.40');
    expect(() => parseSubnet('10.213.7.0/16')).toThrow(UsageError);
    expect(() => parseSubnet('10.213.7.5/24')).toThrow(UsageError);
    expect(() => parseSubnet('8.8.8.0/24')).toThrow(/not private/);
    expect(() => parseSubnet('10.213.300.0/24')).toThrow(UsageError);
    expect(isInSubnet('10.213.7.99', subnet)).toBe(true);
    expect(isInSubnet('10.213.70.99', subnet)).toBe(false);
  });
});

describe('interface names', () => {
  it('derives readable bridge and veth names from short lab names', () => {
    expect(bridgeName('lab')).toBe('br-lab');
    expect(vethName('lab', '10.213.7.11')).toBe('vlab-11');
  });

  it('hashes long lab names so names fit in 15 characters and stay distinct', () => {
    const a = 'integration-upgrade';
    const b = 'integration-provision';
    expect(labTag(a)).not.toBe(labTag(b));
    expect(labTag(a)).toMatch(/^int[0-9a-f]{5}$/);
    for (const name of [a, b, 'x'.repeat(32)]) {
      expect(bridgeName(name).length).toBeLessThanOrEqual(IFNAME_MAX);
      expect(vethName(name, '10.0.0.254').length).toBeLessThanOrEqual(IFNAME_MAX);
    }
  });

  it('checks lab and host names', () => {
    expect(checkLabName('t-hosts')).toBe('t-hosts');
    expect(() => checkLabName('Bad Name')).toThrow(UsageError);
    expect(() => checkHostNames(['cp-1', 'cp-1'])).toThrow(/twice/);
    expect(() => checkHostNames(['-x'])).toThrow(UsageError);
    expect(() => checkHostNames([])).toThrow(UsageError);
  });

  it('makes a fixed MAC from an address', () => {
    expect(macFor('10.213.7.11')).toBe('02:4c:0a:d5:07:0b');
  });
});

describe('state file parsing', () => {
  const valid = {
    format: 1, name: 'lab', stateDir: '/p/.lab/lab', subnet: '10.213.7.0/24', bridge: 'br-lab', bridgeAddress: '10.213.7.1',
    hosts: [{
      name: 'host-1', address: '10.213.7.11', veth: 'vlab-11', dir: '/p/.lab/lab/hosts/host-1',
      unshare: { pid: 100, startTime: '5' }, sshd: { pid: 101, startTime: '6' },
    }],
  };

  it('round-trips a valid state', () => {
    expect(parseLabState(JSON.stringify(valid), 'state.json')).toEqual(valid);
  });

  it('accepts a host caught mid-boot (sshd not yet known)', () => {
    const booting = { ...valid, hosts: [{ ...valid.hosts[0], sshd: null }] };
    expect(parseLabState(JSON.stringify(booting), 'state.json').hosts[0]?.sshd).toBeNull();
  });

  it('names the file and the problem when damaged', () => {
    expect(() => parseLabState('{', 'x/state.json')).toThrow(/x\/state.json: not JSON/);
    expect(() => parseLabState(JSON.stringify({ ...valid, format: 2 }), 's')).toThrow(ConfigError);
    const noPid = { ...valid, hosts: [{ ...valid.hosts[0], unshare: { pid: 'x' } }] };
    expect(() => parseLabState(JSON.stringify(noPid), 's')).toThrow(/hosts\[0\]/);
  });
});

describe('small parsers', () => {
  it('reads state and start time from /proc/PID/stat even with spaces and parentheses in the name', () => {
    const stat = '42 (sshd: a (b) c) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 200';
    expect(parseProcStat(stat)).toEqual({ state: 'S', startTime: '987654' });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('decodes mount points from mountinfo', () => {
    const info = '70 43 254:0 /x /opt rw - ext4 /dev/vda rw\n71 43 0:40 / /a\\040b rw - overlay overlay rw\n';
    expect(parseMountPoints(info)).toEqual(['/opt', '/a b']);
  });

  it('sets root\'s shadow password field to * and leaves other users alone', () => {
    const shadow = 'root:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
    expect(shadowWithRootStar(shadow)).toBe('root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
    expect(passwdIds('postgres:x:105:111::/var/lib/postgresql:/bin/bash\n', 'postgres')).toEqual({ uid: 105, gid: 111 });
    expect(passwdIds('root:x:0:0::/root:/bin/sh\n', 'postgres')).toBeUndefined();
  });
});

describe('rendered files', () => {
  const hosts = [{ name: 'cp-1', address: '10.213.7.11' }, { name: 'gw-1', address: '10.213.7.12' }];

  it('names every lab host in /etc/hosts', () => {
    expect(renderEtcHosts(hosts)).toContain('10.213.7.11\tcp-1\n10.213.7.12\tgw-1\n');
  });

  it('writes known_hosts with name and address, and an inventory fragment', () => {
    const text = renderKnownHosts([{ ...hosts[0]!, publicKey: 'ssh-ed25519 AAAAkey root@cp-1' }]);
    expect(text).toBe('cp-1,10.213.7.11 ssh-ed25519 AAAAkey\n');
    const login = { sshKey: '/s/id_ed25519', knownHosts: '/s/known_hosts', sudoPassword: false };
    const yaml = renderHostsYaml(hosts, login);
    expect(yaml).toContain('cp-1:\n    address: 10.213.7.11\n    user: deploy\n    port: 22\n    ssh_key: /s/id_ed25519\n    known_hosts: /s/known_hosts\n    become: sudo\n');
    expect(yaml).not.toMatch(/become_password|proxy_jump/);
    const behind = renderHostsYaml(hosts, { ...login, sudoPassword: true, bastion: { name: 'bastion', address: '10.213.135.11' } });
    expect(behind).toContain('    become: sudo\n    become_password: ${SUDO_PASSWORD}\n    proxy_jump: deploy@10.213.135.11:22\n');
    expect(behind).toContain('SUDO_PASSWORD is in secrets.env');
  });

  it('writes an ssh_config that logs in as deploy, through the bastion when there is one', () => {
    const login = { sshKey: '/s/k', knownHosts: '/s/kh', sudoPassword: false, bastion: { name: 'bastion', address: '10.213.135.11' } };
    const config = renderSshConfig(hosts, login);
    expect(config).toContain('Host bastion 10.213.135.11\n  HostName 10.213.135.11\n  HostKeyAlias bastion\n  User deploy\n');
    expect(config).toContain('Host gw-1 10.213.7.12\n');
    expect(config.match(/ProxyJump bastion/g)).toHaveLength(2);
    expect(renderSshConfig(hosts, { ...login, bastion: undefined })).not.toContain('ProxyJump');
  });

  it('configures sshd for key-only login, root refused, on the host address with raised limits', () => {
    const config = renderSshdConfig('10.213.7.11');
    for (const line of ['ListenAddress 10.213.7.11:22', 'UsePAM no', 'PasswordAuthentication no', 'MaxStartups 100:30:200',
      'MaxSessions 10', 'PermitRootLogin no', 'AllowTcpForwarding yes']) expect(config).toContain(`${line}\n`);
    // `lab up --forbid-tcp-forwarding`: as CIS hardening asks.
    expect(renderSshdConfig('10.213.7.11', { tcpForwarding: false })).toContain('AllowTcpForwarding no\n');
  });

  it('gives the login user a free id, keeps it across boots, and writes its sudo rule', () => {
    const passwd = 'root:x:0:0::/root:/bin/sh\nu:x:2000:2000::/home/u:/bin/sh\n';
    expect(loginUserIds(passwd, 'root:x:0:\ng:x:2001:\n')).toEqual({ uid: 2002, gid: 2002 });
    expect(loginUserIds(`${passwd}deploy:x:2007:2008::/home/deploy:/bin/bash\n`, '')).toEqual({ uid: 2007, gid: 2008 });
    expect(upsertEntry('a:1\ndeploy:old\nb:2\n', 'deploy', 'deploy:new')).toBe('a:1\ndeploy:new\nb:2\n');
    expect(upsertEntry('a:1\n', 'deploy', 'deploy:new')).toBe('a:1\ndeploy:new\n');
    expect(shadowLine({ uid: 1, gid: 1 })).toMatch(/^deploy:\*:/);
    expect(shadowLine({ uid: 1, gid: 1, passwordHash: '$6$salt$hash' })).toMatch(/^deploy:\$6\$salt\$hash:/);
    expect(sudoersRule(true)).toContain('deploy ALL=(ALL:ALL) NOPASSWD: ALL\n');
    expect(sudoersRule(false)).toContain('deploy ALL=(ALL:ALL) ALL\n');
  });

  it('generates ed25519 keys in OpenSSH format whose public half matches', () => {
    const pair = generateEd25519('t@lab');
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/);
    const blob = Buffer.from(pair.privateKey.split('\n').slice(1, -2).join(''), 'base64');
    expect(blob.subarray(0, 15).toString()).toBe('openssh-key-v1\0');
    const [type, b64, comment] = pair.publicKey.split(' ');
    expect([type, comment]).toEqual(['ssh-ed25519', 't@lab']);
    const raw = Buffer.from(b64!, 'base64').subarray(-32);
    // The public key in the line is a valid ed25519 point that node can import.
    const jwk = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    expect(jwk.asymmetricKeyType).toBe('ed25519');
  });
});

describe('the options a lab was brought up with, read back for lab reboot', () => {
  const host = { name: 'h1', address: '10.213.7.11', veth: 'vl-h1', dir: '/x/h1', unshare: { pid: 2, startTime: '1' }, sshd: null };
  // Required<>: an option added to the lab state must be added here, and then read back below.
  const everything: Required<LabState> = {
    format: LAB_STATE_FORMAT, name: 'l', stateDir: '/x', subnet: '10.213.7.0/24', bridge: 'br-l', bridgeAddress: '10.213.7.1',
    bastion: { subnet: '10.213.8.0/24', innerBridge: 'bi-l' }, sudoPassword: true, rootLogin: true, forbidTcpForwarding: true,
    init: 'systemd', controllerMbit: 100, hosts: [host],
  };

  it('gives back every recorded option, the controller link cap and the bastion\'s subnet included', () => {
    expect(upOptionsFromState(everything)).toEqual({
      subnet: '10.213.7.0/24', sudoPassword: true, rootLogin: true, bastion: true, bastionSubnet: '10.213.8.0/24',
      init: 'systemd', forbidTcpForwarding: true, controllerMbit: 100,
    });
  });

  it('leaves unset what the lab did not record', () => {
    const { format, name, stateDir, subnet, bridge, bridgeAddress, hosts } = everything;
    expect(upOptionsFromState({ format, name, stateDir, subnet, bridge, bridgeAddress, hosts }))
      .toEqual({ subnet: '10.213.7.0/24', sudoPassword: false });
  });

  it('records the options lab up takes as given, set ones only, and reads the same back', () => {
    const given = { rootLogin: true, init: 'systemd', forbidTcpForwarding: true, controllerMbit: 100 } as const;
    expect(asGivenOptions({ ...given, subnet: '10.213.9.0/24', bastion: true } as LabUpOptions)).toEqual(given);
    expect(asGivenOptions({ rootLogin: false, forbidTcpForwarding: false })).toEqual({});
    const { rootLogin, init, forbidTcpForwarding, controllerMbit, ...recordedOtherwise } = everything;
    expect(upOptionsFromState({ ...recordedOtherwise, ...asGivenOptions(given) })).toMatchObject(given);
  });
});
