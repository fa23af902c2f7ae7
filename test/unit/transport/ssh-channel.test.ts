import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runChannel } from '../../../src/transport/ssh-channel.js';
import type { SshChannel, SshClient } from '../../../src/transport/ssh2-types.js';

/** An ssh2 session channel as runChannel sees it; the test plays the remote side. */
class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  readonly writable = true;
  closedByUs = false;
  write(): boolean {
    return true;
  }
  end(): void {}
  signal(): void {}
  resume(): this {
    return this;
  }
  close(): void {
    if (this.closedByUs) return;
    this.closedByUs = true;
  }
  /** The remote side ends: sshd sends CLOSE (after the command is gone). */
  remoteClose(): void {
    this.emit('close');
  }
}

/** Records every command line opened on it; the kill channel closes as soon as it is opened. */
class FakeClient extends EventEmitter {
  readonly commands: string[] = [];
  readonly channels: FakeChannel[] = [];
  exec(command: string, cb: (err: Error | undefined, channel: SshChannel) => void): void {
    this.commands.push(command);
    const ch = new FakeChannel();
    this.channels.push(ch);
    if (command.startsWith('kill ')) ch.on('newListener', (event) => event === 'close' && queueMicrotask(() => ch.remoteClose()));
    queueMicrotask(() => cb(undefined, ch as unknown as SshChannel));
  }
  end(): void {}
}

const tick = () => vi.advanceTimersByTimeAsync(0);
const killLine = (pid: number) => `kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null; true`;

/** Runs `command` on a fake client; `main` is its channel once open. */
async function open(command: string, timeoutMs: number | undefined, abort?: AbortSignal) {
  const client = new FakeClient();
  const result = runChannel(client as unknown as SshClient, command, undefined, timeoutMs, abort);
  await tick();
  return { client, result, main: client.channels[0]! };
}

describe('runChannel', () => {
  it('sees output, exit status and close that ssh2 delivers in the same tick as the open', async () => {
    // ssh2 parses a whole socket read at once: for a quick command, everything follows the open confirmation.
    const client = {
      exec(_command: string, cb: (err: Error | undefined, channel: SshChannel) => void) {
        const ch = new FakeChannel();
        cb(undefined, ch as unknown as SshChannel);
        ch.emit('data', Buffer.from('abc  /etc/nginx/nginx.conf\n'));
        ch.emit('exit', 0);
        ch.remoteClose();
      },
    };
    await expect(runChannel(client as unknown as SshClient, 'sha256sum /etc/nginx/nginx.conf', undefined, undefined, undefined))
      .resolves.toMatchObject({ exitCode: 0, stdout: 'abc  /etc/nginx/nginx.conf\n', noStatus: false });
  });
});

describe('runChannel: killing a command that is cut', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cut before its shell printed its PID: waits for the PID, kills its process group, then reports the timeout', async () => {
    const { client, result, main } = await open('sleep 30', 300);
    await vi.advanceTimersByTimeAsync(300); // the timeout passes; the remote login shell is still starting
    expect(client.commands).toHaveLength(1);
    expect(main.closedByUs).toBe(false); // closing now would leave `sleep 30` running on the host

    main.stderr.emit('data', Buffer.from('apim-pid 4242\n'));
    await tick();
    expect(client.commands[1]).toBe(killLine(4242));
    expect(main.closedByUs).toBe(true);
    main.remoteClose();
    await expect(result).resolves.toMatchObject({ cut: 'timeout', noStatus: true, stderr: '' });
  });

  it('cut after the PID arrived: kills at once', async () => {
    const controller = new AbortController();
    const { client, result, main } = await open('sleep 30', undefined, controller.signal);
    main.stderr.emit('data', Buffer.from('apim-pid 77\n'));
    controller.abort();
    await tick();
    expect(client.commands[1]).toBe(killLine(77));
    main.remoteClose();
    await expect(result).resolves.toMatchObject({ cut: 'abort' });
  });

  it('finds the PID after what the login shell printed first, and leaves that output in stderr', async () => {
    const { client, result, main } = await open('sleep 30', 300);
    main.stderr.emit('data', Buffer.from('bash: pyenv: command not found\napim-'));
    main.stderr.emit('data', Buffer.from('pid 99\n'));
    await vi.advanceTimersByTimeAsync(300);
    expect(client.commands[1]).toBe(killLine(99));
    main.remoteClose();
    await expect(result).resolves.toMatchObject({ cut: 'timeout', stderr: 'bash: pyenv: command not found\n' });
  });

  it('no PID ever: gives up after the PID wait, closes its side and reports the cut', async () => {
    const { client, result } = await open('sleep 30', 100);
    await vi.advanceTimersByTimeAsync(100 + 15_000);
    await expect(result).resolves.toMatchObject({ cut: 'timeout', noStatus: true });
    expect(client.channels[0]!.closedByUs).toBe(true);
    expect(client.commands).toHaveLength(1);
  });

  it('a command that ends on its own is never killed', async () => {
    const { client, result, main } = await open('true', 5000);
    main.stderr.emit('data', Buffer.from('apim-pid 5\n'));
    main.emit('exit', 0);
    main.remoteClose();
    await expect(result).resolves.toMatchObject({ exitCode: 0, cut: null, stderr: '' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.commands).toEqual([expect.stringContaining('true')]);
  });
});
