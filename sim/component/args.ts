/**
 * The command line the start script hands over: `--sim-script=<script name>`, then whatever the operator passed
 * (`-Dprofile=...`, `-DportOffset=N`, other `-Dkey=value` system properties, which are accepted and ignored).
 */
export type Component = 'all-in-one' | 'control-plane' | 'key-manager' | 'gateway' | 'traffic-manager';

export interface StartArgs {
  readonly script: string;
  readonly carbonHome: string | undefined;
  readonly profile: string | undefined;
  readonly portOffset: number | undefined;
  readonly systemProperties: Readonly<Record<string, string>>;
}

export function parseStartArgs(argv: readonly string[]): StartArgs {
  let script = 'api-manager';
  const props: Record<string, string> = {};
  for (const arg of argv) {
    if (arg.startsWith('--sim-script=')) script = arg.slice('--sim-script='.length);
    else if (arg.startsWith('-D')) {
      const eq = arg.indexOf('=');
      if (eq > 2) props[arg.slice(2, eq)] = arg.slice(eq + 1);
      else props[arg.slice(2)] = 'true';
    }
  }
  const offsetText = props['portOffset'];
  let portOffset: number | undefined;
  if (offsetText !== undefined) {
    portOffset = Number(offsetText);
    if (!Number.isInteger(portOffset) || portOffset < 0) throw new Error(`-DportOffset must be a non-negative integer, got "${offsetText}"`);
  }
  return { script, carbonHome: props['carbon.home'], profile: props['profile'], portOffset, systemProperties: props };
}

/** 4.0–4.4 all-in-one profiles (reference §1.2) and their component. */
const PROFILES: Readonly<Record<string, Component>> = {
  'control-plane': 'control-plane',
  'gateway-worker': 'gateway',
  'traffic-manager': 'traffic-manager',
  'api-key-manager-node': 'key-manager',
  'api-key-manager-deprecated': 'key-manager',
  default: 'all-in-one',
};

const SCRIPTS: Readonly<Record<string, Component>> = {
  'api-manager': 'all-in-one',
  'api-cp': 'control-plane',
  'key-manager': 'key-manager',
  gateway: 'gateway',
  'traffic-manager': 'traffic-manager',
};

/**
 * Which component runs. `profiles` says whether this pack still has 4.0–4.4 style `-Dprofile=` profiles:
 * a 4.5+ pack ignores the flag (with a warning from the caller), as the real one does.
 */
export function componentFor(args: StartArgs, profiles: boolean): Component {
  const byScript = SCRIPTS[args.script];
  if (byScript === undefined) throw new Error(`unknown start script "${args.script}"`);
  if (!profiles || args.script !== 'api-manager' || args.profile === undefined) return byScript;
  const byProfile = PROFILES[args.profile];
  if (byProfile === undefined) {
    throw new Error(`unknown profile "${args.profile}"; expected one of ${Object.keys(PROFILES).join(', ')}`);
  }
  return byProfile;
}
