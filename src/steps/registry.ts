import type { StepPreview } from '../model/preview.js';
import type { Step, StepKindName, StepOf } from '../model/plan.js';
import { balancerSet } from './balancer-set.js';
import { balancerWindow } from './balancer-window.js';
import { drain } from './drain.js';
import { ensureDir } from './ensure-dir.js';
import { display } from './exec.js';
import { extractArchive } from './extract-archive.js';
import { fetchFile } from './fetch-file.js';
import { link } from './link.js';
import { peerFetch } from './peer-fetch.js';
import { reloadComponent } from './reload-component.js';
import { removeFile } from './remove-file.js';
import { runOnce } from './run-once.js';
import { startComponent } from './start-component.js';
import type { StepKind } from './step-kind.js';
import { stopComponent } from './stop-component.js';
import { uploadArtifact } from './upload-artifact.js';
import { uploadFile } from './upload-file.js';
import { waitHealthy } from './wait-healthy.js';
import { waitRoutable } from './wait-routable.js';

export type StepKindRegistry = { readonly [K in StepKindName]: StepKind<K> };

/** Every step kind by name. Dry run and executor both go through here. */
export const stepKinds: StepKindRegistry = {
  'ensure-dir': ensureDir,
  'upload-file': uploadFile,
  'upload-artifact': uploadArtifact,
  'peer-fetch': peerFetch,
  'extract-archive': extractArchive,
  link,
  'fetch-file': fetchFile,
  'run-once': runOnce,
  'start-component': startComponent,
  'stop-component': stopComponent,
  'reload-component': reloadComponent,
  'remove-file': removeFile,
  'wait-healthy': waitHealthy,
  drain,
  'balancer-set': balancerSet,
  'balancer-window': balancerWindow,
  'wait-routable': waitRoutable,
};

/** The module for a step, typed to the step's kind. */
export function stepKindOf<K extends StepKindName>(step: StepOf<K>): StepKind<K> {
  return stepKinds[step.kind as K] as StepKind<K>;
}

/** A step that can change its host; verification steps (wait-healthy) only read. */
export const stepMutates = (step: Step): boolean => stepKindOf(step).mutates;

/** A step that mostly waits on its host (StepKind.waits): it takes no concurrency slot. */
export const stepWaits = (step: Step): boolean => stepKindOf(step).waits === true;

export function describeStep(step: Step): string {
  return stepKindOf(step).describe(step);
}

/** What a dry run prints for a step: its description, then guard/transfer lines and the exact commands. */
export function previewStep(step: Step): StepPreview {
  const kind = stepKindOf(step);
  return {
    description: kind.describe(step),
    lines: [...(kind.preview?.(step) ?? []), ...kind.commands(step).map(display)],
  };
}
