// The demo province's change requests (server/demo/changes.ts): seeded through the real push path, so
// every desk of `xueji server --demo` has requests in every state — transfers between two counties at
// each step, approved (the student moved) and rejected at the third step, an info change of a name, a
// suspension overdue — and each desk's inbox (the shared provider over what that desk pulls) is filled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_COLLECTIONS, INBOX_PROVIDERS } from '../../shared/inbox/providers';
import { collectInbox } from '../../shared/inbox/types';
import type { SyncUser } from '../../shared/sync/protocol';
import type { ChangeRequestDoc } from '../../shared/workflows';
import { buildApp, type XuejiServer } from '../app';
import { type DemoAccount, seedDemo } from '../demo/seed';
import { type Db, openDb } from '../store/db';
import { REGISTRY } from '../sync/registry';
import { pull } from '../sync/store';

// A day in the transfer window of the demo term (2026-09-01 ± one month), after the National Day holidays.
const NOW = new Date('2026-10-20T02:00:00.000Z');

describe('the demo province’s change requests (PGlite)', () => {
  let db: Db;
  let app: XuejiServer;
  const users = new Map<string, SyncUser>();
  let accounts: DemoAccount[] = [];

  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db, now: () => NOW });
    accounts = await seedDemo(db, app.channel, NOW);
    const rows = await db.query<{
      id: string;
      username: string;
      display_name: string;
      role: SyncUser['role'];
      org_id: string;
      class_ids: string[];
    }>('select id, username, display_name, role, org_id, class_ids from users');
    const orgs = await db.query<{ id: string; name: string; path: string }>(
      `select id, data->>'name' as name, data->>'path' as path from docs where collection = 'orgs'`,
    );
    for (const r of rows) {
      const o = orgs.find((x) => x.id === r.org_id);
      users.set(r.username, {
        id: r.id,
        username: r.username,
        displayName: r.display_name,
        role: r.role,
        orgId: r.org_id,
        orgName: o?.name ?? '',
        orgPath: o?.path ?? '',
        classIds: r.class_ids,
      });
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const pullAs = async (username: string, collection: string) => {
    const user = users.get(username) as SyncUser;
    const c = REGISTRY.get(collection);
    if (!c) throw new Error(collection);
    const out: Record<string, unknown>[] = [];
    let checkpoint = null;
    for (;;) {
      const page = await pull(db, c, user, checkpoint, 500);
      out.push(...(page.documents as Record<string, unknown>[]));
      if (page.documents.length < 500) break;
      checkpoint = page.checkpoint;
    }
    return out;
  };

  it('has requests in every state, the approved transfer having moved its student', async () => {
    const all = (
      await db.query<{ data: ChangeRequestDoc }>(`select data from docs where collection = 'changeRequests'`)
    ).map((r) => r.data);
    const states = new Set(all.map((r) => r.status));
    for (const s of ['draft', 'submitted', 'approved', 'rejected']) expect(states, s).toContain(s);
    const transfers = all.filter((r) => r.type === 'transfer');
    // waiting at the receiving county and at the sending county (the sending school, the first K-12
    // school, is left with nothing waiting: see the inbox test)
    expect(new Set(transfers.filter((r) => r.status === 'submitted').map((r) => r.step))).toEqual(
      new Set([1, 3]),
    );
    const rejected = transfers.find((r) => r.status === 'rejected');
    expect(rejected?.decisions.find((d) => d.decision === 'reject')?.step).toBe(2);
    const done = transfers.find((r) => r.status === 'approved') as ChangeRequestDoc;
    const moved = done.applied?.changes[0]?.studentId as string;
    const [st] = await db.query<{ school_id: string }>(
      `select school_id from docs where collection = 'students' and id = $1`,
      [moved],
    );
    expect(st?.school_id).toBe(done.schoolId);
    expect(all.filter((r) => r.type === 'infoChange' && r.status === 'submitted')).toHaveLength(2);
    expect(
      all
        .filter((r) => r.type === 'suspension' && r.schoolId === 'S41030501')
        .map((r) => r.status)
        .sort(),
    ).toEqual(['rejected', 'submitted']);
    expect(all.find((r) => r.type === 'withdrawal')?.status).toBe('approved');
    // four submitted ones and the intended draft; a submission a rule refused on the seeding day (a student
    // in a graduating grade, R-TX-GRADES) stays the school's draft as in the app
    expect(transfers.filter((r) => r.status !== 'draft')).toHaveLength(4);
    expect(transfers.some((r) => r.status === 'draft')).toBe(true);
  });

  it('fills the inbox of the schools and both bureaus of a transfer, with overdue items; the first schools have nothing waiting', async () => {
    const inboxOf = async (username: string) => {
      const user = users.get(username) as SyncUser;
      const records = {
        changeRequests: await pullAs(username, 'changeRequests'),
        orgs: await pullAs(username, 'orgs'),
      };
      return collectInbox(INBOX_PROVIDERS, records, { user, today: '2026-10-20' });
    };
    const receiving = await inboxOf('s41012202.admin');
    expect(receiving.some((i) => i.section === 'started')).toBe(true);
    expect(receiving.some((i) => i.title.startsWith('归档') || i.title.startsWith('提交'))).toBe(true);
    const receivingBureau = await inboxOf('zhongmou.bureau');
    expect(receivingBureau.filter((i) => i.section === 'waiting').length).toBeGreaterThan(0);
    // the first school of each kind has nothing waiting (the other walk-throughs open on its roster);
    // the sending school is told of its student transferred out
    const sending = await inboxOf('s41010502.admin');
    expect(sending.filter((i) => i.section === 'waiting')).toEqual([]);
    expect(sending.some((i) => i.section === 'info' && i.title.startsWith('已转出'))).toBe(true);
    expect((await inboxOf('s41010501.admin')).filter((i) => i.section === 'waiting')).toEqual([]);
    expect((await inboxOf('s41012201.admin')).filter((i) => i.section === 'waiting')).toEqual([]);
    const sendingBureau = await inboxOf('jinshui.bureau');
    expect(sendingBureau.some((i) => i.section === 'waiting')).toBe(true);
    expect((await inboxOf('jianxi.bureau')).some((i) => i.overdue && i.due?.rule === 'R-1WEEK')).toBe(true);
    expect(receivingBureau.some((i) => i.overdue && i.due?.rule)).toBe(true);
  });

  const tokenOf = async (username: string) => {
    const a = accounts.find((x) => x.username === username) as DemoAccount;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: a.password, deviceId: `demo-test-${username}`.slice(0, 60) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { token: string }).token;
  };

  it('opens a demo transfer’s proofs to every party of it (both schools, both bureaus) and to no one else', async () => {
    const all = (
      await db.query<{ data: ChangeRequestDoc }>(`select data from docs where collection = 'changeRequests'`)
    ).map((r) => r.data);
    const transfer = all.find(
      (r) => r.type === 'transfer' && r.status === 'submitted' && r.proofs.length > 0,
    );
    const sha = transfer?.proofs[0]?.attachmentId?.split(':').pop();
    if (!transfer || !sha) throw new Error('the demo has no submitted transfer with a proof');
    expect([transfer.schoolId, transfer.fromSchoolId]).toEqual(['S41012202', 'S41010502']);
    const status = async (username: string) =>
      (
        await app.inject({
          method: 'GET',
          url: `/api/attachments/${sha}`,
          headers: { authorization: `Bearer ${await tokenOf(username)}` },
        })
      ).statusCode;
    for (const [u, code] of [
      ['s41012202.admin', 200],
      ['zhongmou.bureau', 200],
      ['s41010502.admin', 200],
      ['jinshui.bureau', 200],
      ['s41010501.admin', 404],
      ['s41012201.admin', 404],
      ['jianxi.bureau', 404],
      ['s41010501.counselor', 404],
    ] as const)
      expect([u, await status(u)]).toEqual([u, code]);
  });

  it('gives every desk something in 待办 on login (inspectors: their items come with the inspections providers)', async () => {
    const empty: string[] = [];
    for (const [username, user] of users) {
      if (user.role === 'inspector') continue;
      const records: Record<string, Record<string, unknown>[]> = {};
      for (const c of INBOX_COLLECTIONS) if (REGISTRY.get(c)) records[c] = await pullAs(username, c);
      const items = collectInbox(INBOX_PROVIDERS, records, { user, today: '2026-10-20' });
      if (items.length === 0) empty.push(username);
    }
    expect(empty).toEqual([]);
    // a city that decides nothing else gets its 普通高中's new students to review (YQ 二(二))
    const ly = collectInbox(
      INBOX_PROVIDERS,
      {
        changeRequests: await pullAs('ly.bureau', 'changeRequests'),
        orgs: await pullAs('ly.bureau', 'orgs'),
      },
      { user: users.get('ly.bureau') as SyncUser, today: '2026-10-20' },
    );
    expect(ly.some((i) => i.section === 'waiting' && i.title.startsWith('审批 新生注册'))).toBe(true);
  }, 120_000);
});
