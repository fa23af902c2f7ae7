import type { RemoteCommand } from '../transport/transport.js';
import { execUnless } from './exec.js';
import { onDisk } from './no-space.js';
import type { StepKind } from './step-kind.js';

/**
 * Unpacks into `<dest>.partial`, strips a single top-level directory, then renames into place, so a
 * half-extracted release never looks complete. Values arrive as positional parameters, never spliced in.
 */
export const EXTRACT_SCRIPT = [
  'set -eu',
  'archive=$1 dest=$2 format=$3 owner=$4 tmp="$2.partial"',
  'rm -rf -- "$tmp" && mkdir -p -- "$tmp"',
  'case $format in zip) unzip -q "$archive" -d "$tmp" ;; tar.gz) tar -xzf "$archive" -C "$tmp" ;; *) exit 2 ;; esac',
  'n=0; top=; for e in "$tmp"/* "$tmp"/.[!.]*; do if [ -e "$e" ]; then n=$((n+1)); top=$e; fi; done',
  'src=$tmp; if [ "$n" -eq 1 ] && [ -d "$top" ] && [ ! -L "$top" ]; then src=$top; fi',
  'if [ -n "$owner" ]; then chown -R -- "$owner" "$src"; fi',
  'mv -T -- "$src" "$dest"',
  'rm -rf -- "$tmp"',
].join('\n');

const existsCommand = (path: string): RemoteCommand => ({ argv: ['test', '-e', path] });

export const extractArchive: StepKind<'extract-archive'> = {
  kind: 'extract-archive',
  mutates: true,
  describe: (s) => `unpack ${s.archive} into ${s.dest}${s.owner ? ` (owned by ${s.owner})` : ''}`,
  commands: (s) => [
    { argv: ['sh', '-c', EXTRACT_SCRIPT, 'extract-archive', s.archive, s.dest, s.format, s.owner ?? ''] },
  ],
  preview(s) {
    const owner = s.owner ? `; chown -R ${s.owner}` : '';
    return [
      `test -e ${s.dest}  # skip when the release is already there`,
      `${s.format === 'zip' ? 'unzip' : 'tar -xzf'} ${s.archive} into ${s.dest}.partial; strip its top directory${owner}; mv -T to ${s.dest}`,
    ];
  },
  async apply(s, ctx) {
    const ran = await onDisk(ctx.transport, s.dest, 0, () => execUnless(ctx.transport, existsCommand(s.dest), this.commands(s), ctx.signal), ctx.signal);
    return ran ? { status: 'changed', reason: s.reason } : { status: 'unchanged', reason: `release already unpacked at ${s.dest}` };
  },
};
