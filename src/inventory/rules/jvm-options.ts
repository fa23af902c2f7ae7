import { wso2Server } from '../../catalog/variants.js';
import { quoted } from '../../yaml/shown.js';
import type { RuleContext } from './context.js';

/**
 * A `jvm_options` entry may not set what apim-deploy's wiring sets (roles/wso2-server.yaml `jvmOptions.owned`):
 * the JVM takes the last of a repeated option, and $JAVA_OPTS comes last, so it would win silently. Each entry is
 * reported once, at its own line, however many nodes hold it.
 */
export function checkJvmOptionsOwned(ctx: Pick<RuleContext, 'src' | 'nodes' | 'catalog'>): void {
  const owned = wso2Server(ctx.catalog).jvmOptions.owned.map((o) => ({ ...o, re: new RegExp(o.pattern) }));
  const reported = new Set<string>();
  for (const n of ctx.nodes) {
    if (ctx.catalog[n.role].runtime.kind !== 'wso2') continue;
    (n.vars.values['jvm_options'] as readonly string[]).forEach((option, i) => {
      const at = n.vars.origin.get(`jvm_options.${i}`);
      const own = owned.find((o) => o.re.test(option));
      if (!own || !at || reported.has(at.join('\0'))) return;
      reported.add(at.join('\0'));
      ctx.src.add(at, `${quoted(option)} would replace what apim-deploy sets from ${own.by} (the JVM takes the last of a repeated option, and jvm_options come last): set that instead`);
    });
  }
}
