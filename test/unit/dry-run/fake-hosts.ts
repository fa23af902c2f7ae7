/**
 * In-memory hosts for the dry-run workflow: a RecordingTransport in read-only mode (any write or non-read-only
 * command throws) that answers the batched host probe from its own state and the roles' status commands.
 */
import { createHash } from 'node:crypto';
import { TransportError } from '../../../src/errors.js';
import { HOST_PROBE_SCRIPT } from '../../../src/facts/index.js';
import type { HostSpec } from '../../../src/model/inventory.js';
import type { FileContent, Plan } from '../../../src/model/plan.js';
import type { ExecResult, RemoteCommand } from '../../../src/transport/transport.js';
import type { Connections } from '../../../src/workflows/run/connect.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

/** The roles' `isRunning` commands (roles/*\/role.yaml): read-only by definition, allowed verbatim and only so. */
const STATUS_COMMANDS = [
  ['pg_ctlcluster', '15', 'main', 'status'],
  ['start-stop-daemon', '--status', '--pidfile', '/run/nginx.pid'],
];

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

export class FakeHost extends RecordingTransport {
  /** Artifacts are big: only their sha256 is kept. */
  readonly artifactSha = new Map<string, string>();
  readonly markers = new Set<string>();
  allMarkers = false;
  running = false;

  constructor(host: string) {
    super(host, { readOnly: true });
  }

  override async exec(command: RemoteCommand): Promise<ExecResult> {
    const argv = command.argv.map(String);
    if (STATUS_COMMANDS.some((c) => c.length === argv.length && c.every((a, i) => a === argv[i]))) {
      this.calls.push({ op: 'exec', command, line: argv.join(' '), wire: argv.join(' ') });
      return { exitCode: this.running ? 0 : 3, signal: null, stdout: '', stderr: '', durationMs: 0 };
    }
    const result = await super.exec(command); // throws ReadOnlyViolation on anything not read-only
    if (argv[0] === 'sh' && argv[2] === HOST_PROBE_SCRIPT) return { ...result, stdout: this.#probe(argv.slice(5)) };
    return result;
  }

  /** Makes this host look exactly as a finished provision leaves it, from a plan made against a fresh host. */
  converge(plan: Plan, contents: ReadonlyMap<string, FileContent>): this {
    for (const step of plan.waves.flatMap((w) => w.steps).filter((s) => s.host === this.host)) {
      if (step.kind === 'upload-file') this.seedFile(step.path, contents.get(step.sha256)!.content);
      if (step.kind === 'upload-artifact' || step.kind === 'peer-fetch') this.artifactSha.set(step.path, step.sha256);
      if (step.kind === 'link') this.links.set(step.path, step.target);
    }
    this.allMarkers = true;
    this.running = true;
    return this;
  }

  /** Answers HOST_PROBE_SCRIPT's argv (after the stamps flag: counts, then paths) the way the script does. */
  #probe(args: string[]): string {
    const lines: string[] = [];
    const list = () => args.splice(0, Number(args.shift())) as string[];
    list().forEach((p, i) => {
      const f = this.files.get(p);
      const hash = f ? sha(f.content) : this.artifactSha.get(p);
      lines.push(hash ? `F ${i} + ${hash}` : `F ${i} -`);
    });
    list().forEach((p, i) => lines.push(this.links.has(p) ? `L ${i} + ${this.links.get(p)}` : `L ${i} -`));
    list().forEach((_p, i) => lines.push(this.running ? `P ${i} + ${4242 + i} java -Dsim` : `P ${i} -`));
    list().forEach((p, i) => lines.push((this.allMarkers && !p.includes('/apim-deploy/pending/')) || this.markers.has(p) ? `M ${i} +` : `M ${i} -`));
    lines.push('@os', 'ID=debian', 'VERSION_ID="12"', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', '@arch', 'x86_64', '@df',
      'Filesystem 1024-blocks Used Available Capacity Mounted on', '/dev/sda1 100000000 1000000 99000000 1% /', '@proc-net-tcp');
    return `${lines.join('\n')}\n`;
  }
}

/** openConnections for prepareDeployment: these fakes, and a TransportError for every host named `down`. */
export function fakeConnections(fakes: ReadonlyMap<string, FakeHost>, down: readonly string[] = []) {
  return async (hosts: readonly HostSpec[]): Promise<Connections> => {
    const transports = new Map<string, FakeHost>();
    const unreachable = new Map<string, TransportError>();
    for (const h of hosts) {
      if (down.includes(h.name)) unreachable.set(h.name, new TransportError(h.name, 'unreachable', 'connect ECONNREFUSED'));
      else transports.set(h.name, fakes.get(h.name)!);
    }
    return { transports, unreachable, close: async () => undefined };
  };
}

/** The hosts of the workspace inventory (inventory.ts). */
export const WORKSPACE_HOSTS = ['aio-1', 'gw-1', 'lb-1'] as const;

/** Every workspace host, with nothing installed yet. */
export const freshHosts = (): Map<string, FakeHost> => new Map(WORKSPACE_HOSTS.map((h) => [h, new FakeHost(h)]));
