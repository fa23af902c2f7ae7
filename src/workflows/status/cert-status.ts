/**
 * The certificates a node serves, with their expiry: its own TLS keystore's certificate (primary when no tls, as
 * Carbon picks) and, on a balancer, the balancer's certificate (the operator's or the internal CA's). Read from what
 * apim-deploy installs (the controller's files, the same bytes `status` checks for drift on the host), so an expiry
 * is known even when the node is down. The pack's own wso2carbon.jks is not listed: it is not the operator's to renew.
 */
import { X509Certificate } from 'node:crypto';
import { openKeystore } from '../../files/keystore.js';
import { expiryOf, type Expiry } from '../../model/cert-expiry.js';
import type { RenderedNode } from '../../render/render-inventory.js';

export interface CertificateStatus extends Expiry {
  /** What it is: "tls keystore certs/gw.p12 (alias gw)", "balancer certificate". */
  readonly what: string;
  readonly subject: string;
}

const line = (cert: X509Certificate, what: string, now: Date): CertificateStatus => ({ what, subject: cert.subject.replace(/\n/g, ', '), ...expiryOf(cert, now) });

export function certificatesOf(node: RenderedNode, now: Date): CertificateStatus[] {
  const tls = node.context.tls;
  if (!tls) return [];
  const out: CertificateStatus[] = [];
  const served = tls.keystores.find((k) => k.which === 'tls') ?? tls.keystores.find((k) => k.which === 'primary');
  if (served) {
    const e = served.entry;
    const r = openKeystore(Buffer.from(served.base64.reveal(), 'base64'), e.type, e.password.reveal(), e.alias, e.key_password.reveal());
    if (r.ok) out.push(line(r.entry.chain[0]!, `${served.which} keystore ${e.file} (alias ${e.alias})`, now));
  }
  if (node.role === 'load-balancer' && tls.lbCert !== '') out.push(line(new X509Certificate(tls.lbCert), 'balancer certificate', now));
  return out;
}
