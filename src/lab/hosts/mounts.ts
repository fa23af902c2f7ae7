import { readFileSync } from 'node:fs';
import { run } from './run.js';

/** Decodes the octal escapes (\040 for space, ...) that /proc/self/mountinfo uses in paths. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points (field 5) in mountinfo text. */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined && p !== '')
    .map(unescapeMountPath);
}

/** Mount points in the controller's mount namespace at or below `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const points = parseMountPoints(readFileSync('/proc/self/mountinfo', 'utf8'));
  return points.filter((p) => p === dir || p.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

/**
 * Lab hosts mount only inside their own mount namespaces, so normally nothing is mounted under the state
 * directory here. Anything that is (a crash of an older layout, a hand-made pin) must go before files are
 * deleted, or a recursive delete would walk into the mounted tree. Returns what could not be unmounted.
 */
export async function unmountUnder(dir: string): Promise<string[]> {
  for (const point of mountsUnder(dir)) await run('umount', ['--lazy', point]);
  return mountsUnder(dir);
}
