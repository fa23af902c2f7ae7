/**
 * A command's handler, loaded from its module when the command runs rather than when the CLI starts: `--help`,
 * `validate` and the rest then load only what they use (the SSH stack, listr2, pg, eta and zod are each a good
 * part of a start-up). The command module itself keeps what help needs: the name, description and options.
 */
export function lazyHandler<A>(load: () => Promise<{ default: (argv: A) => void | Promise<void> }>): (argv: A) => Promise<void> {
  return async (argv) => (await load()).default(argv);
}
