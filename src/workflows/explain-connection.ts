import { UsageError } from '../errors.js';
import { didYouMean } from '../model/did-you-mean.js';
import type { Inventory } from '../model/inventory.js';
import { loginOf } from '../transport/endpoint.js';
import { connectionRequest, sshConfigFor } from '../transport/open.js';
import { resolveEndpoint } from '../transport/endpoint.js';

const row = (name: string, value: string, from: string): string => `  ${name.padEnd(12)} ${value.padEnd(44)} ${from}`;

/**
 * `validate --explain HOST`: how apim-deploy will log in to the host and where each value came from (a key of the
 * inventory, a line of ssh_config, or a built-in default). Reads files only; touches no host. Never prints a secret.
 */
export function explainConnection(inv: Inventory, hostName: string): string {
  const host = inv.hosts.find((h) => h.name === hostName);
  if (!host) throw new UsageError(`--explain: no host '${hostName}' plays a role in ${inv.name}${didYouMean(hostName, inv.hosts.map((h) => h.name))}`, `hosts: ${inv.hosts.map((h) => h.name).join(', ')}`);
  const origin = host.connectionOrigins ?? {};
  const lines = [`${host.name}: how apim-deploy logs in (value, then where it came from)`];
  if (host.connection === 'local') lines.push(row('connection', 'local (this machine, no SSH)', `hosts.${host.name}.connection`));
  else {
    const cfg = sshConfigFor(host, undefined);
    const e = resolveEndpoint(connectionRequest(host), cfg);
    const agent = process.env['SSH_AUTH_SOCK'] ? 'ssh-agent first (SSH_AUTH_SOCK), then ' : '';
    lines.push(
      row('address', e.address, e.origins.address),
      row('port', String(e.port), e.origins.port),
      row('user', e.user, e.origins.user),
      row('keys', agent + (e.identityFiles.length > 0 ? e.identityFiles.join(', ') : '~/.ssh/id_ed25519, id_ecdsa, id_rsa'), e.origins.identity),
      row('passphrase', host.sshKeyPassphrase ? `from ${host.sshKeyPassphrase.origin}` : 'none given (asked on a terminal if needed)', origin['ssh_key_passphrase'] ?? '-'),
      row('known_hosts', e.knownHosts ?? '~/.ssh/known_hosts', e.origins.knownHosts),
      row('proxy_jump', e.jump.length > 0 ? e.jump.map((j) => `${j.label} (${loginOf(j)})`).join(' → ') : 'none: direct', e.origins.proxyJump),
      row('ssh_config', cfg.file, origin['ssh_config'] ?? (cfg.file === '(none)' ? '-' : 'built-in default')),
    );
  }
  const b = host.become;
  lines.push(row('become', b ? `sudo as ${b.user}${b.password ? `, password from ${b.password.origin}` : ', no password'}` : 'none: commands run as the login user',
    origin['become'] ?? 'built-in default'));
  return lines.join('\n');
}
