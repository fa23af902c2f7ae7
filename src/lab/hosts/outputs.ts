import { stringify } from 'yaml';
import { LOGIN_USER } from './login-user.js';
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

/** How the controller logs in to the lab hosts: what the inventory fragment and the ssh_config say. */
export interface LabLogin {
  readonly sshKey: string;
  readonly knownHosts: string;
  /** sudo asks for the password in the lab's secrets fragment (SUDO_PASSWORD). */
  readonly sudoPassword: boolean;
  /** The bastion's address on the controller's bridge, when the hosts sit behind one. */
  readonly bastion?: { readonly name: string; readonly address: string };
}

/**
 * The inventory fragment: the `hosts:` entries an inventory can copy (keys as the inventory format names them).
 * The login user gets root through sudo; behind a bastion every host jumps through it.
 */
export function renderHostsYaml(hosts: readonly { name: string; address: string }[], login: LabLogin): string {
  const entry = {
    user: LOGIN_USER, port: 22, ssh_key: login.sshKey, known_hosts: login.knownHosts, become: 'sudo',
    ...(login.sudoPassword ? { become_password: '${SUDO_PASSWORD}' } : {}),
    ...(login.bastion ? { proxy_jump: `${LOGIN_USER}@${login.bastion.address}:22` } : {}),
  };
  const entries = Object.fromEntries(hosts.map((h) => [h.name, { address: h.address, ...entry }]));
  const secrets = login.sudoPassword ? ' SUDO_PASSWORD is in secrets.env beside this file.' : '';
  return `# Written by \`apim-deploy lab up\`. Copy these entries into an inventory's hosts: mapping.${secrets}\n${stringify({ hosts: entries })}`;
}

export function writeKnownHosts(file: string, hosts: readonly HostKeyLine[]): void {
  writeFileAtomic(file, renderKnownHosts(hosts));
}

export function writeHostsYaml(file: string, hosts: readonly { name: string; address: string }[], login: LabLogin): void {
  writeFileAtomic(file, renderHostsYaml(hosts, login));
}

/**
 * An ssh_config so an operator can type `ssh -F <state>/ssh_config cp-1` (the controller cannot resolve lab names),
 * as the login user, through the bastion when there is one.
 */
export function renderSshConfig(hosts: readonly { name: string; address: string }[], login: LabLogin): string {
  const block = (name: string, address: string, jump?: string) => [
    `Host ${name} ${address}`,
    `  HostName ${address}`,
    `  HostKeyAlias ${name}`,
    `  User ${LOGIN_USER}`,
    `  IdentityFile ${login.sshKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${login.knownHosts}`,
    '  StrictHostKeyChecking yes',
    ...(jump ? [`  ProxyJump ${jump}`] : []),
    '',
  ].join('\n');
  const bastion = login.bastion ? [block(login.bastion.name, login.bastion.address)] : [];
  const blocks = hosts.map((h) => block(h.name, h.address, login.bastion?.name));
  return `# Written by \`apim-deploy lab up\`.\n${[...bastion, ...blocks].join('')}`;
}

export function writeSshConfig(file: string, hosts: readonly { name: string; address: string }[], login: LabLogin): void {
  writeFileAtomic(file, renderSshConfig(hosts, login));
}

/** The lab's secrets fragment (dotenv), private to root: lines an inventory's .env can copy. */
export function writeSecretsFragment(file: string, sudoPassword: string): void {
  writeFileAtomic(file, `# Written by \`apim-deploy lab up --sudo-password\`: the login user's sudo password.\nSUDO_PASSWORD=${sudoPassword}\n`, 0o600);
}
