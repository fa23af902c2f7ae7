/**
 * Strict undefined for templates: `it` is wrapped so reading a property that does not exist throws
 * (naming the full path, e.g. `it.wso2.keyManagr`), instead of printing "undefined" into a config file.
 * Optional parts of the context are `null`, which reads fine. Only plain objects and arrays are wrapped.
 */
export class UndefinedVariableError extends Error {}

function wrappable(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return Array.isArray(v) || proto === Object.prototype || proto === null;
}

export function strict<T>(value: T, path = 'it'): T {
  if (!wrappable(value)) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'symbol') return Reflect.get(target, key, receiver);
      if (!(key in target)) throw new UndefinedVariableError(`undefined variable ${path}.${key}`);
      const v = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? v : strict(v, Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`);
    },
  }) as T;
}
