/**
 * A command measured against a floor is measured in alternation with it: round after round, the floor and each
 * command in turn, the order rotated every round, so neither side always runs first (right behind a cold run whose
 * servers are still settling, or right after a pause). On a shared 2-core lab one run's figure moves by tenths of a
 * second; a figure here is the median over the rounds, and its gap the median of (command - floor) within a round.
 */

export interface Timed { readonly ms: number }

export interface Contender<T extends Timed> {
  readonly label: string;
  readonly run: () => Promise<T>;
}

export interface Series<T extends Timed> {
  readonly label: string;
  /** One figure per round, in round order. */
  readonly runs: readonly T[];
  readonly medianMs: number;
  /** Median over the rounds of this round's figure minus the floor's; 0 for the floor itself. */
  readonly medianGapMs: number;
}

/** A series' median gap, signed: `+0.84 s` (format: the bench's own seconds). */
export const gapText = (x: Series<Timed>, format: (ms: number) => string): string => `${x.medianGapMs >= 0 ? '+' : ''}${format(x.medianGapMs)}`;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The order of round `round` (from 0): the list turned left by `round`, so each contender leads once in n rounds. */
export function rotated<X>(items: readonly X[], round: number): X[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** The series of each contender, the floor first, from the figures of every round (`rounds[r][i]`: contender i). */
export function summarise<T extends Timed>(labels: readonly string[], rounds: readonly (readonly T[])[]): Series<T>[] {
  return labels.map((label, i) => {
    const runs = rounds.map((r) => r[i]!);
    return { label, runs, medianMs: median(runs.map((x) => x.ms)), medianGapMs: median(rounds.map((r) => r[i]!.ms - r[0]!.ms)) };
  });
}

/**
 * `rounds` rounds of the floor and every contender, one at a time; `onRun` hears each figure as it comes (a bench
 * prints it, so a long series shows its progress). Returns the floor's series first.
 */
export async function alternate<T extends Timed>(rounds: number, floor: Contender<T>, contenders: readonly Contender<T>[],
  onRun: (round: number, label: string, figure: T) => void = () => {}): Promise<Series<T>[]> {
  const all = [floor, ...contenders];
  const figures: T[][] = [];
  for (let round = 0; round < rounds; round++) {
    const row: T[] = new Array<T>(all.length);
    for (const c of rotated(all, round)) {
      const figure = await c.run();
      row[all.indexOf(c)] = figure;
      onRun(round, c.label, figure);
    }
    figures.push(row);
  }
  return summarise(all.map((c) => c.label), figures);
}
