import { wso2Server } from '../../catalog/variants.js';
import type { PasswordRefusal } from '../../model/role.js';
import { isSecret } from '../../model/secret.js';
import { VARIABLES } from '../variables.js';
import type { RuleContext } from './context.js';

/** Password variables, as `name` or `name.field`, from the variables table (never a hand-kept list). */
export function passwordVariables(): string[] {
  return Object.entries(VARIABLES).flatMap(([name, spec]) => 'default' in spec
    ? (spec.kind.kind === 'password' ? [name] : [])
    : Object.entries(spec.kind.fields).filter(([, f]) => f.kind.kind === 'password').map(([field]) => `${name}.${field}`));
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function refused(r: PasswordRefusal, plain: string): boolean {
  if ('text' in r) return plain.includes(r.text);
  if ('anyOf' in r) return [...r.anyOf].some((c) => plain.includes(c));
  return CONTROL.test(plain);
}

/**
 * What WSO2 would read differently from what the operator wrote: a password holding a reference syntax its
 * config mapper resolves, or characters it writes unescaped into XML (roles/wso2-server.yaml `passwordRefusals`,
 * with sources). Refused where the password is written, naming the secret's origin, never its value.
 */
export function checkPasswords(ctx: RuleContext): void {
  const refusals = wso2Server(ctx.catalog).passwordRefusals;
  const reported = new Set<string>();
  for (const n of ctx.nodes) {
    for (const name of passwordVariables()) {
      const [top, field] = name.split('.') as [string, string | undefined];
      const holder = n.vars.values[top];
      const value = field === undefined ? holder : (holder as Readonly<Record<string, unknown>> | null)?.[field];
      if (!isSecret(value)) continue;
      const at = n.vars.origin.get(name);
      if (at === undefined) continue; // a default (the shipped JKS password) is known to be fine
      const key = at.join('\0');
      if (reported.has(key)) continue;
      reported.add(key);
      const plain = value.reveal();
      const applies = refusals.filter((r) => (r.variables === undefined || r.variables.includes(name)) &&
        (r.patterns === undefined || r.patterns.includes(ctx.pattern.id)));
      const hit = applies.find((r) => refused(r, plain));
      if (!hit) continue;
      const what = 'text' in hit ? `contains "${hit.text}"`
        : 'anyOf' in hit ? `contains one of ${JSON.stringify(hit.anyOf)}`
        : 'contains a control character';
      ctx.src.add(at, `the password (${value.origin}) ${what}: ${hit.why}; choose another password`);
    }
  }
}
