// HS256 token checks on node:crypto, synchronous (fast-jwt). jose verifies through WebCrypto: with a raw
// secret it imports the key again on every call and runs the HMAC as a thread-pool job, ≈ 175 µs of the
// server's thread per token in the check-in burst's profile (issue 13) and on every pull and push of a
// user's session (issue 8). The checks are those jose made: HS256 only, issuer, audience, `typ`, the
// required claims, no `iat` in the future, the age from `iat`, 30 s of clock tolerance, on this server's
// clock (tests in server/test/sessions.test.ts "finding 9: tokens" and verification/checkin.test.ts).
import { createVerifier } from 'fast-jwt';

export type Hs256Checks = {
  issuer: string;
  audience: string;
  typ: string;
  /** the longest a token may live from its `iat`, whatever its `exp` says */
  maxAgeSeconds: number;
};

/** Several instances' clocks differ a little: a token issued by one must not look "from the future". */
const CLOCK_TOLERANCE_SECONDS = 30;

/** A token that fails a check (a failure to read the key is not one: it stays an error of the server). */
export class TokenRefused extends Error {}

export class Hs256Verifier {
  /** fast-jwt fixes the clock of a verifier when it is made: one per second and max age */
  private current: { second: number; maxAge: number; verify: (token: string) => unknown } | undefined;

  constructor(
    private readonly key: () => Promise<Uint8Array>,
    private readonly checks: () => Hs256Checks,
    private readonly now: () => Date,
  ) {}

  /** The token's claims; TokenRefused for any token that fails a check. */
  async verify(token: string): Promise<Record<string, unknown>> {
    const second = Math.floor(this.now().getTime() / 1000);
    const checks = this.checks();
    let current = this.current;
    if (current?.second !== second || current.maxAge !== checks.maxAgeSeconds) {
      const key = Buffer.from(await this.key());
      current = {
        second,
        maxAge: checks.maxAgeSeconds,
        verify: createVerifier({
          key,
          algorithms: ['HS256'],
          allowedIss: checks.issuer,
          allowedAud: checks.audience,
          checkTyp: checks.typ,
          // allowedIss and allowedAud check the claims only when present: jose's issuer and audience required them
          requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'jti'],
          // fast-jwt's age check leaves the tolerance out; jose's counted it
          maxAge: (checks.maxAgeSeconds + CLOCK_TOLERANCE_SECONDS) * 1000,
          clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
          clockTimestamp: second * 1000,
        }),
      };
      this.current = current;
    }
    let claims: unknown;
    try {
      claims = current.verify(token);
    } catch (e) {
      throw new TokenRefused((e as Error).message);
    }
    if (typeof claims !== 'object' || claims === null) throw new TokenRefused('claims are not an object');
    const { iat } = claims as { iat?: unknown };
    // fast-jwt checks `iat` only for the age; jose also refused one from the future
    if (typeof iat !== 'number' || iat > second + CLOCK_TOLERANCE_SECONDS)
      throw new TokenRefused('issued in the future');
    return claims as Record<string, unknown>;
  }
}
