/** What a dry run shows for one step: the same text and command lines the executor will use. */
export interface StepPreview {
  /** One line: describe(step). */
  readonly description: string;
  /** Display form of each remote command or transfer, secrets masked, in execution order. */
  readonly lines: readonly string[];
}
