import type { RuleContext } from './context.js';

/** Two SSH hosts at one address and port are one machine written twice; only one host can be this machine. */
export function checkNetwork(ctx: RuleContext): void {
  const seen = new Map<string, string>();
  const locals: string[] = [];
  for (const host of ctx.hosts.values()) {
    if (host.connection === 'local') {
      locals.push(host.name);
      if (locals.length > 1) {
        ctx.src.add(['hosts', host.name, 'connection'], `only one host may use connection: local (already '${locals[0]}'): this machine is one host; give roles to that host instead`);
      }
      continue;
    }
    const key = `${host.address.toLowerCase()}:${host.port ?? 22}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.src.add(['hosts', host.name, 'address'], `address ${host.address} port ${host.port ?? 22} is also used by host '${first}': one machine is one host; list its roles under that host instead`);
    } else {
      seen.set(key, host.name);
    }
  }
}
