/**
 * openTransports: the fan-out bounds SSH handshakes only. What a host runs once its connection is open (the become
 * check, the first command: a plan's state reads) runs on every host at once. Local hosts and a real sh: each first
 * command waits, with a generous deadline, until every host's has started, which a bounded fan-out never lets happen.
 * It needs no lab, but opens connections through transport/open.ts, which the unit tier may not import.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostSpec } from '../../src/model/inventory.js';
import { closeAll, openTransports, type FirstAnswer } from '../../src/transport/open.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

const HOSTS = 12;
const local = (name: string): HostSpec => ({ name, address: '127.0.0.1', connection: 'local', roles: [], pos: { file: 'inv.yaml', line: 1, col: 1 } });

describe('opening connections', () => {
  it('runs every host\'s first command at once, beyond the fan-out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fan-out-'));
    const barrier = [
      'touch -- "$1/$2"', 'i=0',
      `while [ "$(ls -- "$1" | wc -l)" -lt ${HOSTS} ]; do i=$((i + 1)); [ "$i" -gt 1200 ] && { echo alone; exit 9; }; sleep 0.05; done`,
      'echo together',
    ].join('\n');
    const answers = new Map<string, FirstAnswer>();
    const hosts = Array.from({ length: HOSTS }, (_, i) => local(`h${i + 1}`));
    const opened = await openTransports(hosts, {
      fanOut: 2, sshConfig: false,
      firstCommand: (h) => ({ argv: ['sh', '-c', barrier, 'barrier', dir!, h.name], onAnswer: (a) => answers.set(h.name, a) }),
    });
    await closeAll(opened);
    expect(readdirSync(dir)).toHaveLength(HOSTS);
    expect([...answers.values()].map((a) => `${a.exitCode} ${a.stdout.trim()}`)).toEqual(Array.from({ length: HOSTS }, () => '0 together'));
  });
});
