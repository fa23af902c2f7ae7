/**
 * What each component refuses to start without (issue 2 §3, reference §3). One table, so the rule is read in
 * one place and the unit test walks it.
 */
import type { Component } from './args.js';
import { lookup, type TomlTable } from './placeholders.js';

export type Requirement =
  | { readonly kind: 'string'; readonly path: string }
  | { readonly kind: 'list'; readonly path: string }
  | { readonly kind: 'groups'; readonly path: string; readonly field: string }
  | { readonly kind: 'database'; readonly path: string };

const str = (path: string): Requirement => ({ kind: 'string', path });
const list = (path: string): Requirement => ({ kind: 'list', path });
const database = (path: string): Requirement => ({ kind: 'database', path });

const EVERYWHERE = [str('super_admin.username'), str('super_admin.password')];
const DATABASES = [database('database.apim_db'), database('database.shared_db')];

export const REQUIRED_KEYS: Readonly<Record<Component, readonly Requirement[]>> = {
  gateway: [
    ...EVERYWHERE,
    str('apim.key_manager.service_url'),
    str('apim.event_hub.service_url'),
    list('apim.event_hub.event_listening_endpoints'),
    list('apim.throttling.throttle_decision_endpoints'),
    { kind: 'groups', path: 'apim.throttling.url_group', field: 'traffic_manager_urls' },
  ],
  'traffic-manager': [...EVERYWHERE, str('apim.event_hub.service_url')],
  'control-plane': [...EVERYWHERE, ...DATABASES],
  'all-in-one': [...EVERYWHERE, ...DATABASES],
  'key-manager': [...EVERYWHERE, ...DATABASES],
};

/** `apim.event_hub.service_url` → `[apim.event_hub] service_url`, as an operator reads the file. */
export function tomlKeyName(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : `[${path.slice(0, dot)}] ${path.slice(dot + 1)}`;
}

const nonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';
const nonEmptyList = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(nonEmptyString);

function databaseProblems(table: unknown, path: string): string[] {
  if (table === null || typeof table !== 'object' || Array.isArray(table)) return [`missing [${path}]`];
  const db = table as TomlTable;
  if (!nonEmptyString(db['type'])) return [`missing ${tomlKeyName(`${path}.type`)}`];
  if (String(db['type']).toLowerCase() === 'h2') return [];
  const problems: string[] = [];
  if (!nonEmptyString(db['url']) && !(nonEmptyString(db['hostname']) && nonEmptyString(db['name']))) {
    problems.push(`missing ${tomlKeyName(`${path}.url`)} (or hostname, port and name)`);
  }
  for (const key of ['username', 'password']) {
    if (!nonEmptyString(db[key])) problems.push(`missing ${tomlKeyName(`${path}.${key}`)}`);
  }
  return problems;
}

/** Every unmet requirement of `component`, each a sentence naming the key. */
export function checkRequirements(doc: TomlTable, component: Component): string[] {
  const problems: string[] = [];
  for (const req of REQUIRED_KEYS[component]) {
    const value = lookup(doc, req.path);
    switch (req.kind) {
      case 'string':
        if (!nonEmptyString(value)) problems.push(`missing ${tomlKeyName(req.path)}`);
        break;
      case 'list':
        if (!nonEmptyList(value)) problems.push(`missing ${tomlKeyName(req.path)} (a non-empty list of URLs)`);
        break;
      case 'groups': {
        const groups = Array.isArray(value) ? (value as unknown[]) : [];
        const ok = groups.some((g) => g !== null && typeof g === 'object' && nonEmptyList((g as TomlTable)[req.field]));
        if (!ok) problems.push(`missing [[${req.path}]] ${req.field} (at least one group with URLs)`);
        break;
      }
      case 'database':
        problems.push(...databaseProblems(value, req.path));
        break;
    }
  }
  return problems;
}
