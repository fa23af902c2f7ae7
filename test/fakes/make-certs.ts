/**
 * Test certificates made with openssl and the lab JDK's keytool (tests only: the controller itself needs no Java):
 * a "corporate CA" and node keystores it signs, as an operator would bring them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (dir: string, ...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A JDK's keytool: $JAVA_HOME, else the newest under /usr/lib/jvm. */
export function keytool(): string {
  const home = process.env['JAVA_HOME'];
  if (home && existsSync(join(home, 'bin', 'keytool'))) return join(home, 'bin', 'keytool');
  const jvms = existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm').sort().reverse() : [];
  const found = jvms.map((j) => join('/usr/lib/jvm', j, 'bin', 'keytool')).find((p) => existsSync(p));
  if (!found) throw new Error('no keytool: install a JDK (the lab JDK) to make test keystores');
  return found;
}

export function makeCa(dir: string, name = 'ca'): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '365',
    '-subj', `/CN=Test Corporate CA ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** `<name>.crt` and `<name>.key` signed by `ca`, valid `days`, naming `sans` (DNS:x or IP:y). */
export function makeLeaf(dir: string, name: string, sans: readonly string[], days: number, ca = 'ca'): void {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${sans.join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n`);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', String(days),
    '-extfile', `${name}.ext`, '-out', `${name}.crt`);
}

/** A PKCS12 keystore `<name>.p12` (alias `alias`, with the CA in its chain) from makeLeaf's files. */
export function makePkcs12(dir: string, name: string, alias: string, password: string, ca = 'ca'): void {
  openssl(dir, 'pkcs12', '-export', '-in', `${name}.crt`, '-inkey', `${name}.key`, '-certfile', `${ca}.crt`, '-name', alias,
    '-out', `${name}.p12`, '-passout', `pass:${password}`);
}

/** A JKS keystore `<name>.jks` converted from the PKCS12 one by keytool (store and key password the same). */
export function makeJks(dir: string, name: string, alias: string, password: string): void {
  execFileSync(keytool(), ['-importkeystore', '-srckeystore', `${name}.p12`, '-srcstoretype', 'PKCS12', '-srcstorepass', password,
    '-destkeystore', `${name}.jks`, '-deststoretype', 'JKS', '-deststorepass', password, '-destkeypass', password, '-srcalias', alias, '-destalias', alias, '-noprompt'],
  { cwd: dir, stdio: 'pipe' });
}
