/**
 * Hostile strings for the property suite: what breaks quoting, escaping, parsing and terminals, in every
 * combination a seeded generator reaches. Deterministic: the same seed gives the same strings on every machine.
 */
export const ATOMS: readonly string[] = [
  '"', "'", '\\', '$', '`', '\n', '\r', '\t', ']]', ']]>', '#', '${X}', '$${Y}', '$env{HOME}', '$sys{user.dir}', '$ref{a.b}',
  '$secret{s}', '$(reboot)', ';', '&', '|', '<', '>', '{', '}', '[', ']', '%', '*', '?', '~', '!', '=', ':', ',', '/', '..',
  ' ', 'é', '😀', '\u202e', '\u2028', '\u0000', '\ud800', '\u007f', '\u001b[2J', '-rf', '--', "' OR 1=1 --", '"; DROP TABLE x; --',
  "\\'", '\\"', '\u00a0', '\ufeff', '\\n', '${', '$', 'localhost', '../..', '%s', '@',
];

/** mulberry32: small, seedable, good enough to pick atoms. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A token no output contains by chance: every generated secret carries one, so a leak can be searched for. */
export function core(next: () => number, length = 10): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[Math.floor(next() * ALNUM.length)];
  return out;
}

export interface Hostile {
  readonly value: string;
  /** The unique part (searched for in every output when the value is a secret). */
  readonly core: string;
  readonly label: string;
}

/** Every atom alone (with a core around it), then `count` random mixes, then a very long one. */
export function hostileStrings(seed: number, count: number): Hostile[] {
  const next = rng(seed);
  const out: Hostile[] = ATOMS.map((atom, i) => {
    const c = core(next);
    return { value: `${c}${atom}${c.slice(0, 4)}`, core: c, label: `atom ${i} ${JSON.stringify(atom)}` };
  });
  for (let i = 0; i < count; i++) {
    const c = core(next);
    let value = c;
    const n = 1 + Math.floor(next() * 6);
    for (let j = 0; j < n; j++) value += ATOMS[Math.floor(next() * ATOMS.length)]! + (next() < 0.5 ? core(next, 3) : '');
    out.push({ value, core: c, label: `mix ${i}` });
  }
  const c = core(next);
  out.push({ value: `${c}${'\'"\\$`#]] '.repeat(12_000)}${c}`, core: c, label: 'very long (96k characters)' });
  return out;
}
