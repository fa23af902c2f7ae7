/**
 * The commands of a peer copy (steps/peer-fetch.ts), as values: a one-shot key made on the receiving host, its
 * authorization on the source host for exactly one `cat` of one file, the fetch, and the clean-up of both.
 *
 * Why a one-shot SSH key and not a listener on the source: sshd is already running and reachable on every host (we
 * log in through it), where a listener needs a program of ours or a netcat on the host and a port the firewall lets
 * through. The key's line in the login user's authorized_keys says `restrict` (no forwarding, no pty, no agent),
 * `from=` the receiver's address, `command=` one `cat` of the artifact, and `expiry-time=` (sshd refuses it after
 * that even if nothing ever removes it: the controller killed, the network gone). The private key is made on the
 * receiver and never leaves it; the controller only carries the public half.
 */
import type { RemoteCommand } from '../transport/transport.js';
import { quoteArg } from '../transport/quote.js';

/** How long sshd honours the key: the fetch logs in right after authorizing, so this bounds a crash's leftover. */
export const PEER_KEY_TTL_SECONDS = 15 * 60;
export const PEER_TEMP_PREFIX = 'apim-peer.';

/** The login user's authorized_keys, whoever the commands run as (sudo keeps the login name in SUDO_USER). */
const KEYS_FILE = [
  'u=${SUDO_USER:-$(id -un)}',
  'h=$(getent passwd "$u" | cut -d: -f6)',
  'f=$h/.ssh/authorized_keys',
].join('\n');

/** Prints the temp directory, then the public key; the private key stays in that 0700 directory. */
export const peerKeygenCommand = (): RemoteCommand => ({
  argv: ['sh', '-c', [
    'set -eu',
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/${PEER_TEMP_PREFIX}XXXXXXXX")`,
    'ssh-keygen -q -t ed25519 -N "" -C apim-deploy-peer -f "$d/key" </dev/null >/dev/null',
    'echo "$d"',
    'cat "$d/key.pub"',
  ].join('\n'), 'peer-keygen'],
});

/** The forced command: one `cat` of the file, nothing else. */
export const forcedCommand = (path: string): string => `cat -- ${quoteArg(path)}`;

/**
 * Appends the key's line (tagged with `marker`) under a lock on ~/.ssh, and prints the login user's name.
 * Refuses when the login user has no authorized_keys of their own (a key file elsewhere is not ours to create).
 */
export const peerAuthorizeCommand = (a: { path: string; publicKey: string; marker: string; from?: string }): RemoteCommand => ({
  argv: ['sh', '-c', [
    'set -eu',
    KEYS_FILE,
    '[ -f "$f" ] && [ ! -L "$f" ] || { echo "$u has no authorized_keys file at $f" >&2; exit 3; }',
    'exp=$(date -d "+$1 seconds" +%Y%m%d%H%M%S)',
    'exec 9<"$h/.ssh"',
    'flock -w 30 9',
    `printf '%s\\n' "restrict,$2expiry-time=\\"$exp\\",command=\\"$3\\" $4 $5" >> "$f"`,
    'echo "$u"',
  ].join('\n'), 'peer-authorize', String(PEER_KEY_TTL_SECONDS), a.from ? `from="${a.from}",` : '', forcedCommand(a.path), a.publicKey, a.marker],
});

/** Removes the line tagged `marker` (a temp file beside it, same owner and mode, renamed over it); absent is fine. */
export const peerRevokeCommand = (marker: string): RemoteCommand => ({
  argv: ['sh', '-c', [
    'set -eu',
    KEYS_FILE,
    '[ -f "$f" ] || exit 0',
    'exec 9<"$h/.ssh"',
    'flock -w 30 9',
    'grep -qF -- " $1" "$f" || exit 0',
    't=$f.$1',
    'trap \'rm -f -- "$t"\' EXIT',
    'grep -vF -- " $1" "$f" > "$t" || [ $? -eq 1 ]',
    'chown --reference="$f" -- "$t"',
    'chmod --reference="$f" -- "$t"',
    'mv -f -- "$t" "$f"',
  ].join('\n'), 'peer-revoke', marker],
});

/** The file being fetched, beside its destination (same filesystem: the rename is atomic). */
export const peerTempFile = (dest: string, dir: string): string => `${dest}.${dir.slice(dir.lastIndexOf('/') + 1)}`;

/** The host field of a known_hosts line for address:port (OpenSSH writes port 22 bare, others as `[address]:port`). */
export const knownHostsName = (address: string, port: number): string => (port === 22 ? address : `[${address}]:${port}`);

/** Host key algorithms that verify a key of `type` (an RSA key signs with rsa-sha2-*; OpenSSH 8.8+ refuses ssh-rsa). */
const algorithmsFor = (type: string): string => (type === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256' : type);

/**
 * Logs in to the source with the one-shot key (whose forced command is the `cat`), into a temp file, then renames it.
 * `hostKey` (`<type> <base64>`, the source's key as the controller verified it) is pinned: the receiver's known_hosts
 * holds it alone and a source presenting another key is refused. Without it, the key is trusted on first use.
 */
export const peerFetchCommand = (a: { dir: string; path: string; mode: string; address: string; port: number; user: string; timeoutMs: number; hostKey?: string }): RemoteCommand => {
  const type = a.hostKey?.split(' ')[0];
  return {
    argv: ['sh', '-c', [
      'set -eu',
      'd=$1 dest=$2 t=$3',
      'trap \'rm -f -- "$t"\' EXIT HUP INT TERM',
      ...(type ? ['printf \'%s %s\\n\' "$7" "$8" > "$d/known_hosts"'] : []),
      `ssh -F /dev/null -i "$d/key" -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes ${type ? '-o StrictHostKeyChecking=yes -o HostKeyAlgorithms="$9"' : '-o StrictHostKeyChecking=accept-new'} \\`,
      '  -o UserKnownHostsFile="$d/known_hosts" -o GlobalKnownHostsFile=/dev/null -o ConnectTimeout=20 -o ServerAliveInterval=15 \\',
      '  -p "$5" -- "$6" > "$t" </dev/null',
      'chmod "$4" -- "$t"',
      'mv -f -- "$t" "$dest"',
    ].join('\n'), 'peer-fetch', a.dir, a.path, peerTempFile(a.path, a.dir), a.mode, String(a.port), `${a.user}@${a.address}`,
    ...(type ? [knownHostsName(a.address, a.port), a.hostKey!, algorithmsFor(type)] : [])],
    timeoutMs: a.timeoutMs,
  };
};

/** Removes the receiver's key directory and a half-fetched file. */
export const peerCleanupCommand = (dir: string, dest: string): RemoteCommand => ({ argv: ['rm', '-rf', '--', dir, peerTempFile(dest, dir)] });
