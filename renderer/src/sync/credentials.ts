// Local unlock with the last good login (R-SECURE): only a salted PBKDF2-SHA256 hash of the password is
// kept on this machine, never the password. It lets the registrar open the app offline, or after the
// server session has expired, and keep working locally.
export type LocalCredential = {
  username: string;
  /** base64 salt, 16 random bytes */
  salt: string;
  /** base64 PBKDF2-SHA256 output, 32 bytes */
  hash: string;
  iterations: number;
};

export const PBKDF2_ITERATIONS = 120_000;

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function makeCredential(
  username: string,
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<LocalCredential> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { username, salt: toB64(salt), hash: toB64(await derive(password, salt, iterations)), iterations };
}

/** Constant-time comparison of the derived hash with the stored one. */
export async function verifyCredential(credential: LocalCredential, password: string): Promise<boolean> {
  const expected = fromB64(credential.hash);
  const actual = await derive(password, fromB64(credential.salt), credential.iterations);
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= (actual[i] as number) ^ (expected[i] as number);
  return diff === 0;
}
