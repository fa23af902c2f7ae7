import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { parseJumpSpec, resolveEndpoint } from '../../../src/transport/endpoint.js';
import { NO_SSH_CONFIG, parseSshConfig } from '../../../src/transport/ssh-config.js';

const CONFIG = `
IdentityFile ~/.ssh/global_key
Host web-*
  HostName %h.internal.example
  User admin
  ProxyJump ops@jump-1:2222,jump-2
Host web-1
  Port 2200
  ProxyJump none
Host jump-2
  HostName 10.9.0.2
  User jumper
  IdentityFile /keys/jump
  UserKnownHostsFile /keys/jump_known_hosts
Host *
  UserKnownHostsFile ~/.ssh/kh1 ~/.ssh/kh2
  Match exec "touch /tmp/apim-must-not-exist"
`;
const cfg = parseSshConfig(CONFIG, '/home/op/.ssh/config');

describe('ssh_config lookup', () => {
  it('takes the first value for each parameter, says which Host line gave it, and expands ~ and %h', () => {
    const web2 = cfg.lookup('web-2');
    expect(web2.hostName).toEqual({ value: 'web-2.internal.example', from: '/home/op/.ssh/config, Host web-*' });
    expect(web2.user).toEqual({ value: 'admin', from: '/home/op/.ssh/config, Host web-*' });
    expect(web2.identityFiles).toEqual({ value: [join(homedir(), '.ssh/global_key')], from: '/home/op/.ssh/config' });
    expect(web2.proxyJump?.value).toEqual(['ops@jump-1:2222', 'jump-2']);
    expect(web2.knownHosts).toEqual({ value: join(homedir(), '.ssh/kh1'), from: '/home/op/.ssh/config, Host *' });
    expect(web2.port).toBeUndefined();
  });

  it('lets a narrower pattern listed later lose to a wider one listed first (OpenSSH order), and reads ProxyJump none', () => {
    const web1 = cfg.lookup('web-1');
    expect(web1.port).toEqual({ value: 2200, from: '/home/op/.ssh/config, Host web-1' });
    expect(web1.proxyJump?.value).toEqual(['ops@jump-1:2222', 'jump-2']); // web-* came first
    const only = parseSshConfig('Host db\n  ProxyJump none\n', 'f').lookup('db');
    expect(only.proxyJump?.value).toEqual([]);
  });

  it('never runs Match exec, and refuses a Port that is not a number', () => {
    cfg.lookup('anything');
    expect(() => parseSshConfig('Host x\n  Port twenty\n', 'f').lookup('x')).toThrow(ConfigError);
  });
});

describe('endpoint resolution', () => {
  it('lets the inventory win where both say something, ssh_config fill the rest, then defaults', () => {
    const e = resolveEndpoint({ name: 'gw-2', address: 'web-2', user: 'deploy', origins: { user: 'defaults.user' } }, cfg);
    expect(e).toMatchObject({ label: 'gw-2', hostKeyName: 'gw-2', address: 'web-2.internal.example', port: 22, user: 'deploy' });
    expect(e.origins).toEqual({
      address: '/home/op/.ssh/config, Host web-*', port: 'built-in default', user: 'defaults.user',
      identity: '/home/op/.ssh/config', knownHosts: '/home/op/.ssh/config, Host *', proxyJump: '/home/op/.ssh/config, Host web-*',
    });
    expect(resolveEndpoint({ name: 'x', address: '10.0.0.5' }, NO_SSH_CONFIG)).toMatchObject({ user: 'root', port: 22, identityFiles: [], jump: [] });
  });

  it('resolves each jump host through ssh_config, falling back to the target\'s user, key and known_hosts', () => {
    const e = resolveEndpoint({ name: 'gw-2', address: 'web-2', user: 'deploy', sshKey: '/k/deploy', knownHosts: '/k/kh' }, cfg);
    expect(e.jump.map((j) => [j.label, j.address, j.port, j.user, j.identityFiles, j.knownHosts])).toEqual([
      ['ops@jump-1:2222', 'jump-1', 2222, 'ops', [join(homedir(), '.ssh/global_key')], join(homedir(), '.ssh/kh1')],
      // IdentityFile adds up across matching blocks, as in OpenSSH: every one is tried.
      ['jump-2', '10.9.0.2', 22, 'jumper', [join(homedir(), '.ssh/global_key'), '/keys/jump'], '/keys/jump_known_hosts'],
    ]);
    const noCfg = resolveEndpoint({ name: 'gw-2', address: '10.0.0.5', user: 'deploy', sshKey: '/k/deploy', knownHosts: '/k/kh',
      proxyJump: [{ label: 'bastion-1', address: '10.0.0.1' }] }, NO_SSH_CONFIG);
    expect(noCfg.jump[0]).toMatchObject({ label: 'bastion-1', hostKeyName: 'bastion-1', user: 'deploy', identityFiles: ['/k/deploy'], knownHosts: '/k/kh', port: 22 });
    // An explicit empty proxy_jump switches ssh_config's off.
    expect(resolveEndpoint({ name: 'gw-2', address: 'web-2', proxyJump: [] }, cfg).jump).toEqual([]);
  });

  it('parses [user@]host[:port] jump specs', () => {
    expect(parseJumpSpec('deploy@10.0.0.1:2222')).toEqual({ label: 'deploy@10.0.0.1:2222', address: '10.0.0.1', user: 'deploy', port: 2222 });
    expect(parseJumpSpec('bastion.example.com')).toEqual({ label: 'bastion.example.com', address: 'bastion.example.com' });
    expect(parseJumpSpec('ops@[fd00::1]:22')).toMatchObject({ address: 'fd00::1', user: 'ops', port: 22 });
    expect(() => parseJumpSpec('a b')).toThrow(ConfigError);
  });
});
