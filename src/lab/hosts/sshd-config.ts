/**
 * The lab's sshd_config, written into each host's private /etc/ssh (the machine's own config is untouched).
 * Root may not log in at all (as on enterprise VMs: the login user gets root through sudo); key-only login
 * without PAM; TCP forwarding allowed (a bastion carries the sessions to the hosts behind it), unless the lab forbids
 * it on its hosts as CIS hardening does (`lab up --forbid-tcp-forwarding`); MaxStartups raised
 * because the tests open many connections at once (OpenSSH's default 10:30:100 drops connections under that load).
 * MaxSessions stays at OpenSSH's default, 10 (sshd_config(5)): an enterprise sshd refuses the eleventh session channel
 * of a connection, and so does the lab's (the transport keeps 8 busy at most, and retries a refusal: ssh-session-open.ts).
 */
export function renderSshdConfig(address: string, opts: { rootLogin?: boolean; tcpForwarding?: boolean } = {}): string {
  return [
    '# Written by `apim-deploy lab up`: this lab host only.',
    `ListenAddress ${address}:22`,
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    `PermitRootLogin ${opts.rootLogin ? 'prohibit-password' : 'no'}`,
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    `AllowTcpForwarding ${opts.tcpForwarding === false ? 'no' : 'yes'}`,
    'MaxStartups 100:30:200',
    'MaxSessions 10',
    'UseDNS no',
    'PrintMotd no',
    'PidFile none',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}
