import { Listr, type ListrTask } from 'listr2';
import type { RunEvent, StepEndEvent } from '../model/events.js';
import { formatRecap } from './recap.js';
import type { Renderer, Write } from './renderer.js';

/** The only importer of listr2: maps executor events onto a wave → host task tree. */

interface HostView {
  title: string;
  changed: number;
  unchanged: number;
  failure?: string;
  blocked?: string;
  finish: () => void;
  finished: Promise<void>;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function hostView(host: string): HostView {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return { title: `${host}: waiting`, changed: 0, unchanged: 0, finish, finished };
}

function hostTask(host: string, view: HostView): ListrTask {
  return {
    title: view.title,
    task: async (_ctx, task) => {
      // Events may run ahead of listr: show the newest title now, then follow it until the wave ends.
      const follow = setInterval(() => (task.title = view.title), 100);
      task.title = view.title;
      await view.finished;
      clearInterval(follow);
      if (view.failure) throw new Error(`${host}: ${view.failure}`);
      if (view.blocked) return task.skip(`${host}: ${view.blocked}`);
      task.title = `${host}: ${view.changed} changed, ${view.unchanged} unchanged`;
    },
  };
}

function record(view: HostView, e: StepEndEvent): void {
  if (e.status === 'changed') view.changed++;
  if (e.status === 'unchanged') view.unchanged++;
  if (e.status === 'failed') view.failure ??= `${e.description}: ${e.reason}`;
  if (e.status === 'blocked' || e.status === 'skipped') view.blocked ??= e.reason;
}

export function createListrRenderer(write: Write, renderer: 'default' | 'simple' | 'silent' = 'default'): Renderer {
  const waves: Map<string, HostView>[] = [];
  let running: Promise<unknown> = Promise.resolve();
  let recap: string[] = [];

  return {
    onEvent(event: RunEvent) {
      switch (event.type) {
        case 'run-start': {
          const tasks: ListrTask[] = event.waves.map((w, i) => {
            const hosts = new Map(w.hosts.map((h) => [h, hostView(h)]));
            waves[i] = hosts;
            return {
              title: `${w.label} (${plural(w.hosts.length, 'host')}, ${plural(w.steps, 'step')})`,
              task: (_ctx, task) =>
                task.newListr([...hosts].map(([h, v]) => hostTask(h, v)), { concurrent: true, exitOnError: false }),
            };
          });
          const listr = new Listr(tasks, { exitOnError: false, renderer, rendererOptions: { collapseSubtasks: false } });
          running = listr.run().catch(() => undefined);
          break;
        }
        case 'step-start': {
          const view = waves[event.wave]?.get(event.host);
          if (view) view.title = `${event.host}: ${event.description}`;
          break;
        }
        case 'step-end': {
          const view = waves[event.wave]?.get(event.host);
          if (view) record(view, event);
          break;
        }
        case 'wave-end':
          for (const view of waves[event.index]?.values() ?? []) view.finish();
          break;
        case 'run-end':
          // An interrupted run may end waves that never started: release them all.
          for (const wave of waves) for (const view of wave.values()) view.finish();
          recap = ['', ...formatRecap(event.recap)];
          break;
        case 'wave-start':
          break;
      }
    },
    async done() {
      await running;
      if (recap.length > 0) write(`${recap.join('\n')}\n`);
    },
  };
}
