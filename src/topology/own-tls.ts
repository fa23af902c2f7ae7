import type { InternalPki } from '../model/inventory.js';
import { Secret } from '../model/secret.js';
import type { KeystoreEntry, NodeVars } from '../model/vars.js';

/** One of the operator's keystores as the node gets it: where it lands and its bytes (base64). */
export interface NodeKeystore {
  readonly which: 'primary' | 'tls' | 'internal';
  /** File name under repository/resources/security/. */
  readonly fileName: string;
  readonly entry: KeystoreEntry;
  readonly base64: Secret;
}

/** The node's share of the deployment's certificates: its own keystores, its balancer certificate, what it trusts. */
export interface NodeTls extends InternalPki {
  readonly trusted: string;
  readonly keystores: readonly NodeKeystore[];
}

const material = (pki: InternalPki, file: string): Secret => {
  const found = pki.files?.[file];
  // The workflow reads every file the inventory names (src/workflows/run/internal-pki.ts): a miss is a bug there.
  if (!found) throw new Error(`${file} was not read on the controller`);
  return found;
};

/** The node's certificates, or null when the deployment has neither an internal CA nor own certificates. */
export function nodeTls(pki: InternalPki | undefined, vars: NodeVars): NodeTls | null {
  if (!pki) return null;
  const keystores = (['primary', 'tls', 'internal'] as const).flatMap((which): NodeKeystore[] => {
    const entry = vars.keystores[which];
    if (!entry) return [];
    const fileName = `apim-deploy-${which}.${entry.type === 'PKCS12' ? 'p12' : 'jks'}`;
    return [{ which, fileName, entry, base64: material(pki, entry.file) }];
  });
  const lb = vars.load_balancer_tls;
  return {
    ...pki,
    ...(lb ? { lbCert: material(pki, lb.certificate).reveal(), lbKey: material(pki, lb.key) } : {}),
    trusted: pki.trusted ?? pki.caCert,
    keystores,
  };
}
