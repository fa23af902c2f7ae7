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

/** Replace every occurrence of each secret's value in `text` by ***. For logs and remote stderr. */
export function redact(text: string, secrets: Iterable<Secret>): string {
  let out = text;
  for (const s of secrets) {
    const v = s.reveal();
    if (v.length > 0 && !PUBLIC_DEFAULTS.has(v)) out = out.split(v).join(REDACTED);
  }
  return out;
}

/** A value that may be a secret: templates pass it to the escaper, which reveals it only into the file. */
export type MaybeSecret = string | Secret;
