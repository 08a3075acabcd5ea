// The phone token's checks (docs/checkin-api.md) on the real class and a real database (PGlite): a token
// this server signed holds until its age is over; every other token — another key, issuer, audience or
// type, an unsigned one, one without exp or jti, one altered after signing — is refused as not signed in.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../store/db';
import { migrate } from '../store/migrations';
import {
  CHECKIN_AUDIENCE,
  CHECKIN_ISSUER,
  CHECKIN_TOKEN_SECONDS,
  CHECKIN_TOKEN_TYPE,
  StudentAccounts,
} from './accounts';

const T0 = Date.parse('2026-10-09T00:00:00.000Z');
let db: Db;
let clock = T0;
let accounts: StudentAccounts;
let secret: Uint8Array;

type Claims = {
  aud?: string | null;
  iss?: string | null;
  typ?: string;
  exp?: number | null;
  jti?: string | null;
};
async function token(o: Claims = {}, key = secret): Promise<string> {
  const iat = Math.floor(T0 / 1000);
  const jwt = new SignJWT({ sch: 'S41010501', sep: 1 })
    .setProtectedHeader({ alg: 'HS256', typ: o.typ ?? CHECKIN_TOKEN_TYPE })
    .setSubject('stu-1')
    .setIssuedAt(iat);
  if (o.iss !== null) jwt.setIssuer(o.iss ?? CHECKIN_ISSUER);
  if (o.aud !== null) jwt.setAudience(o.aud ?? CHECKIN_AUDIENCE);
  if (o.exp !== null) jwt.setExpirationTime(o.exp ?? iat + CHECKIN_TOKEN_SECONDS);
  if (o.jti !== null) jwt.setJti(o.jti ?? 'j-1');
  return jwt.sign(key);
}
const refused = async (t: string | undefined) =>
  expect(accounts.verify(t)).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

beforeAll(async () => {
  db = await openDb({});
  await migrate(db);
  accounts = new StudentAccounts(db, () => new Date(clock));
  await refused('not-a-token'); // makes the server's phone-token key
  const [row] = await db.query<{ value: string }>(
    `select value from server_settings where key = 'checkin_jwt_secret'`,
  );
  secret = Buffer.from(row?.value ?? '', 'base64');
});
afterAll(async () => {
  await db.close();
});

describe('phone tokens (fast-jwt verifier)', () => {
  it("accepts this server's token and reads the student, school and session epoch from it", async () => {
    clock = T0 + 60_000;
    await expect(accounts.verify(await token())).resolves.toEqual({
      studentId: 'stu-1',
      schoolId: 'S41010501',
      epoch: 1,
    });
  });

  it('refuses it once its age is over (30 s of clock tolerance), on the server’s own clock', async () => {
    const t = await token();
    clock = T0 + CHECKIN_TOKEN_SECONDS * 1000 + 10_000;
    await expect(accounts.verify(t)).resolves.toMatchObject({ studentId: 'stu-1' });
    clock = T0 + CHECKIN_TOKEN_SECONDS * 1000 + 31_000;
    await refused(t);
    clock = T0 + 60_000;
  });

  it('refuses another key, issuer, audience or type, a missing exp, jti, iss or aud, and no token', async () => {
    await refused(await token({}, new TextEncoder().encode('x'.repeat(32))));
    await refused(await token({ iss: 'elsewhere' }));
    await refused(await token({ aud: 'xueji-sync' }));
    await refused(await token({ typ: 'JWT' }));
    await refused(await token({ exp: null }));
    await refused(await token({ jti: null }));
    // fast-jwt's allowedIss/allowedAud check the claims only when present: they are required claims too
    await refused(await token({ iss: null }));
    await refused(await token({ aud: null }));
    await refused(undefined);
    await refused('');
  });

  it('refuses a token issued in the future beyond the 30 s tolerance (jose did; fast-jwt checks iat only for the age)', async () => {
    const t = await token();
    clock = T0 - 20_000;
    await expect(accounts.verify(t)).resolves.toMatchObject({ studentId: 'stu-1' });
    clock = T0 - 40_000;
    await refused(t);
    clock = T0 + 60_000;
  });

  it('refuses a token altered after signing and an unsigned one (alg none)', async () => {
    const [h, p, s] = (await token()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const other = Buffer.from(JSON.stringify({ ...claims, sub: 'stu-2' })).toString('base64url');
    await refused(`${h}.${other}.${s}`);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: CHECKIN_TOKEN_TYPE })).toString('base64url');
    await refused(`${none}.${p}.`);
    await refused(`${h}.${p}.`);
  });
});
