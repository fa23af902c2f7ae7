import { stringify } from 'yaml';
import { writeFileAtomic } from './state.js';

export interface HostKeyLine {
  readonly name: string;
  readonly address: string;
  readonly publicKey: string;
}

/** known_hosts naming each host by name and by address, so strict checking works with either. */
export function renderKnownHosts(hosts: readonly HostKeyLine[]): string {
  return hosts.map((h) => {
    const [type, key] = h.publicKey.split(' ');
    return `${h.name},${h.address} ${type} ${key}\n`;
  }).join('');
}

/** The inventory fragment: the `hosts:` entries an inventory can copy (keys as the inventory format names them). */
export function renderHostsYaml(
  hosts: readonly { name: string; address: string }[],
  sshKey: string,
  knownHosts: string,
): string {
  const entries = Object.fromEntries(
    hosts.map((h) => [h.name, { address: h.address, user: 'root', port: 22, ssh_key: sshKey, known_hosts: knownHosts }]),
  );
  return `# Written by \`apim-deploy lab up\`. Copy these entries into an inventory's hosts: mapping.\n${stringify({ hosts: entries })}`;
}

export function writeKnownHosts(file: string, hosts: readonly HostKeyLine[]): void {
  writeFileAtomic(file, renderKnownHosts(hosts));
}

export function writeHostsYaml(file: string, hosts: readonly { name: string; address: string }[], sshKey: string, knownHosts: string): void {
  writeFileAtomic(file, renderHostsYaml(hosts, sshKey, knownHosts));
}

/** An ssh_config so an operator can type `ssh -F <state>/ssh_config cp-1` (the controller cannot resolve lab names). */
export function renderSshConfig(hosts: readonly { name: string; address: string }[], sshKey: string, knownHosts: string): string {
  const blocks = hosts.map((h) => [
    `Host ${h.name} ${h.address}`,
    `  HostName ${h.address}`,
    `  HostKeyAlias ${h.name}`,
    '  User root',
    `  IdentityFile ${sshKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHosts}`,
    '  StrictHostKeyChecking yes',
    '',
  ].join('\n'));
  return `# Written by \`apim-deploy lab up\`.\n${blocks.join('')}`;
}

export function writeSshConfig(file: string, hosts: readonly { name: string; address: string }[], sshKey: string, knownHosts: string): void {
  writeFileAtomic(file, renderSshConfig(hosts, sshKey, knownHosts));
}
