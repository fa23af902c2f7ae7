import { statSync } from 'node:fs';
import { isWso2Role } from '../../catalog/variants.js';
import type { DropInFile } from '../../model/vars.js';
import { STATE_DIR } from '../../model/state-dir.js';
import type { RuleContext } from './context.js';

/**
 * Drop-in files (`files:`), per node that holds them: the controller file is a regular file; only WSO2 nodes take
 * them; a release-relative dest does not pass through a persistent dir (a link out of the release, so the file would
 * not follow upgrades: that is `dest_root: data`); none lands on a file apim-deploy renders itself (its content is
 * ours: deployment.toml overrides are `deployment_toml:`), nor inside apim-deploy's own trees. Each entry is
 * reported once, however many nodes hold it.
 */
export function checkDropIns(ctx: Pick<RuleContext, 'src' | 'nodes' | 'catalog'>): void {
  const { src, catalog } = ctx;
  const reported = new Set<string>();
  // One message per entry and problem (the first node that shows it names the role), however many nodes hold it.
  const report = (f: DropInFile, key: string, message: string, problem = message) => {
    const id = `${f.at.join('.')}|${problem}`;
    if (reported.has(id)) return;
    reported.add(id);
    src.add(key ? [...f.at, key] : f.at, message);
  };
  for (const node of ctx.nodes) {
    const files = node.vars.values['files'] as readonly DropInFile[];
    const role = catalog[node.role];
    for (const f of files) {
      const fileError = sourceProblem(f.src);
      if (fileError) report(f, 'src', fileError);
      if (!isWso2Role(role)) {
        // `vars` and host layers reach every node; only a role's own vars name a role that takes none.
        if (f.at[0] === 'role_vars') report(f, '', `${node.role} runs no WSO2 server: files are placed on WSO2 nodes only`);
        continue;
      }
      if (role.runtime.kind !== 'wso2') continue;
      const installDir = String(node.vars.values['install_dir']);
      const roleDir = `${installDir.replace(/\/+$/, '')}/${node.role}`;
      if (f.root === 'release') {
        const through = role.runtime.persistentDirs.find((d) => f.dest === d || f.dest.startsWith(`${d}/`));
        if (through) report(f, 'dest', `${through} is the node's persistent data, linked into each release: use dest_root: data (same dest) so it is kept across upgrades`);
      }
      if (f.root === 'absolute') {
        for (const own of [`${installDir.replace(/\/+$/, '')}/`, `${STATE_DIR}/`]) {
          if (`${f.dest}/`.startsWith(own)) report(f, 'dest', `${f.dest} is inside ${own.slice(0, -1)}, which apim-deploy manages: use dest_root: release or data`);
        }
      }
      const rendered = role.files.find((spec) => renders(spec.dest, f, roleDir));
      if (rendered) {
        report(f, 'dest', `${f.dest} is rendered by apim-deploy (${rendered.template}) on ${node.role} nodes: a drop-in may not replace it` +
          (rendered.dest.endsWith('deployment.toml') ? ' (change its keys with deployment_toml:)' : ''), 'rendered');
      }
    }
  }
}

function sourceProblem(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? undefined : `${path} is not a regular file`;
  } catch {
    return `file not found: ${path}`;
  }
}

/** Whether a role file's dest (role.yaml, with placeholders) names the drop-in's place. */
function renders(specDest: string, f: DropInFile, roleDir: string): boolean {
  const filled = specDest.replace('{role_dir}', roleDir).replace('{state_dir}', STATE_DIR);
  if (filled.startsWith('/') !== (f.root === 'absolute')) return false;
  if (f.root === 'data') return false;
  const pattern = filled.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${pattern}$`).test(f.dest);
}
