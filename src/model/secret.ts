import { inspect } from 'node:util';

export const REDACTED = '***';

/**
 * A secret value. It prints as *** everywhere (toString, JSON, util.inspect, template literals);
 * only `reveal()` gives the value, and only code that writes it to its destination calls that.
 */
export class Secret {
  readonly #value: string;
  constructor(
    value: string,
    /** Where it came from, e.g. `DB_PASSWORD in inventories/lab.env`; safe to print. */
    readonly origin: string,
  ) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return `Secret(${REDACTED} from ${this.origin})`;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

/**
 * Values every WSO2 pack publishes (the shipped JKS password, also the default service user and PID file name):
 * masking them hides nothing and would turn `runuser -u wso2carbon` and `wso2carbon.pid` into ***.
 * They stay Secret (files holding them are still 0600); only text redaction leaves them be.
 */
const PUBLIC_DEFAULTS = new Set(['wso2carbon']);

/** Characters that end a value in logs, argv, URLs and `key=value` text. */
const BOUNDARY = /[\s'"`=:,;&?@()[\]{}<>|]/;
/**
 * A secret this long is masked wherever it appears: it does not turn up in other text by chance. A shorter one is
 * masked only where it stands as a whole value, because masking it inside other words would reveal it: a secret
 * `opt` turned `/opt/wso2` into `/***\/wso2`, and `password` would turn `keystore_password` into `keystore_***`.
 */
export const MASK_ANYWHERE_LENGTH = 16;

function atBoundary(text: string, start: number, end: number): boolean {
  const before = start === 0 ? '' : text[start - 1]!;
  const after = end >= text.length ? '' : text[end]!;
  return (before === '' || BOUNDARY.test(before)) && (after === '' || BOUNDARY.test(after));
}

/** Mask each secret's value in `text` (for logs and remote stderr): anywhere when long, at value boundaries when short. */
export function redact(text: string, secrets: Iterable<Secret>): string {
  let out = text;
  for (const s of secrets) {
    const v = s.reveal();
    if (v.length === 0 || PUBLIC_DEFAULTS.has(v)) continue;
    if (v.length >= MASK_ANYWHERE_LENGTH) {
      out = out.split(v).join(REDACTED);
      continue;
    }
    let result = '';
    let from = 0;
    for (let at = out.indexOf(v); at >= 0; at = out.indexOf(v, at + 1)) {
      if (at < from || !atBoundary(out, at, at + v.length)) continue;
      result += out.slice(from, at) + REDACTED;
      from = at + v.length;
    }
    out = result + out.slice(from);
  }
  return out;
}

/** A value that may be a secret: templates pass it to the escaper, which reveals it only into the file. */
export type MaybeSecret = string | Secret;
