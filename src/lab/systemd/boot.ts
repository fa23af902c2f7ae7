/**
 * The boot of a lab host after sshd: every service multi-user.target wants (bootup(7): the default target pulls in
 * its `.wants`), started one after another in an order that keeps each unit's After=/Before= among them
 * (systemd.unit(5): ordering only, between units started in the same transaction). A unit that fails does not stop
 * the others. Ordering across hosts does not exist: nodes retry until their peers are up.
 */
import { wantedAtBoot } from './install.js';
import { start } from './jobs.js';
import { loadedUnit } from './unit-state.js';
import { values } from './unit-file.js';

export function bootOrder(units: readonly { name: string; after: readonly string[]; before: readonly string[] }[]): string[] {
  const names = new Set(units.map((u) => u.name));
  const edges = new Map<string, Set<string>>(units.map((u) => [u.name, new Set<string>()]));
  for (const u of units) {
    for (const a of u.after) if (names.has(a) && a !== u.name) edges.get(u.name)!.add(a);
    for (const b of u.before) if (names.has(b) && b !== u.name) edges.get(b)!.add(u.name);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < units.length) {
    const ready = [...edges].filter(([n, deps]) => !placed.has(n) && [...deps].every((d) => placed.has(d))).map(([n]) => n).sort();
    // An ordering cycle: systemd breaks it by dropping a job; here the rest start in name order.
    const next = ready.length > 0 ? ready : [...edges.keys()].filter((n) => !placed.has(n)).sort();
    for (const n of next) {
      order.push(n);
      placed.add(n);
    }
  }
  return order;
}

export async function boot(self: string, log: (line: string) => void): Promise<void> {
  const units = wantedAtBoot().filter((n) => n.endsWith('.service')).flatMap((name) => {
    const loaded = loadedUnit(name);
    if (!loaded) return [];
    const list = (key: string) => values(loaded.unit, 'Unit', key).flatMap((v) => v.split(/\s+/));
    return [{ name, after: list('After'), before: list('Before') }];
  });
  for (const name of bootOrder(units)) {
    const code = await start(name, self, log);
    log(`${new Date().toISOString()} ${code === 0 ? 'Started' : 'Failed to start'} ${name}`);
  }
}
