/**
 * The lab's sshd_config, written into each host's private /etc/ssh (the machine's own config is untouched).
 * Key-only root login without PAM; limits raised because the orchestrator opens many connections and
 * channels at once (OpenSSH's default MaxStartups 10:30:100 drops connections under that load).
 */
export function renderSshdConfig(address: string): string {
  return [
    '# Written by `apim-deploy lab up`: this lab host only.',
    `ListenAddress ${address}:22`,
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'MaxStartups 100:30:200',
    'MaxSessions 64',
    'UseDNS no',
    'PrintMotd no',
    'PidFile none',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
