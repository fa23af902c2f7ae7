/**
 * Asks for an SSH key's passphrase on the terminal, without echo, one question at a time. Undefined when stdin or
 * stderr is not a terminal (CI, pipes): then a protected key needs ssh_key_passphrase or ssh-agent.
 */
export function terminalPassphrasePrompt(): ((keyFile: string) => Promise<string | undefined>) | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY || !process.stderr.isTTY) return undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (keyFile: string): Promise<string | undefined> => new Promise((resolve) => {
    process.stderr.write(`Enter passphrase for SSH key ${keyFile}: `);
    let typed = '';
    const done = (value: string | undefined): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003' || ch === '\u0004') return done(undefined); // Ctrl-C, Ctrl-D: no passphrase
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
  return (keyFile) => {
    const answer = queue.then(() => ask(keyFile));
    queue = answer.catch(() => undefined);
    return answer;
  };
}
