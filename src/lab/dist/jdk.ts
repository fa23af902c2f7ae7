/** The simulated JDK: `jdk-<version>+<build>/bin/java`, a script answering `java -version` like Temurin. */
import type { ArchiveEntry } from './archive-entry.js';
import { fillTemplate } from './template.js';

/** Release dates and build numbers of known Temurin releases; others get the fallbacks. */
const KNOWN: Readonly<Record<string, { build: string; date: string }>> = {
  '21.0.5': { build: '11', date: '2024-10-15' },
  '21.0.4': { build: '7', date: '2024-07-16' },
  '17.0.13': { build: '11', date: '2024-10-15' },
  '11.0.25': { build: '9', date: '2024-10-15' },
  '25.0.1': { build: '8', date: '2025-10-21' },
};
const LTS_MAJORS = new Set(['8', '11', '17', '21', '25']);

export interface JdkIdentity {
  readonly version: string; // 21.0.5
  readonly full: string; // 21.0.5+11
  readonly date: string;
  readonly lts: boolean;
}

/** `21.0.5` or `21.0.5+11`. */
export function jdkIdentity(spec: string): JdkIdentity | undefined {
  const m = /^(\d+)(\.\d+){0,2}(\+(\d+))?$/.exec(spec);
  if (!m) return undefined;
  const version = spec.split('+')[0]!;
  const known = KNOWN[version];
  const build = m[4] ?? known?.build ?? '1';
  return { version, full: `${version}+${build}`, date: known?.date ?? '2024-10-15', lts: LTS_MAJORS.has(m[1]!) };
}

export function jdkEntries(id: JdkIdentity, javaTemplate: string): ArchiveEntry[] {
  const top = `jdk-${id.full}`;
  const java = fillTemplate(javaTemplate, {
    JDK_VERSION: id.version,
    JDK_FULL: id.full,
    JDK_DATE: id.date,
    LTS_SUFFIX: id.lts ? ' LTS' : '',
    LTS_BUILD: id.lts ? '-LTS' : '',
  });
  const release = `IMPLEMENTOR="Eclipse Adoptium"\nJAVA_VERSION="${id.version}"\nJAVA_VERSION_DATE="${id.date}"\n` +
    `IMPLEMENTOR_VERSION="Temurin-${id.full}"\nSIMULATED="apim-deploy lab: bin/java only answers -version"\n`;
  return [
    { path: `${top}/bin/java`, mode: 0o755, data: Buffer.from(java) },
    { path: `${top}/release`, mode: 0o644, data: Buffer.from(release) },
    { path: `${top}/lib`, mode: 0o755 },
  ];
}
