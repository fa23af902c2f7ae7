/** The part of @dotenvx/primitives (which ships no types) that src/secrets/encrypted-dotenv.ts uses. */
declare module '@dotenvx/primitives' {
  /** Decrypts an `encrypted:` value with a hex private key; plain values come back unchanged. Throws an Error with `code`. */
  export function decrypt(privateKey: string, value: string): string;
  /** Encrypts a value for a hex public key, as `encrypted:<base64>`. */
  export function encrypt(publicKey: string, value: string): string;
  /** True when the value carries the `encrypted:` prefix. */
  export function encrypted(value: string): boolean;
  /** The compressed public key of a hex private key. */
  export function derive(privateKey: string): string;
  /** A new secp256k1 keypair (hex). */
  export function keypair(): { publicKey: string; privateKey: string };
}
