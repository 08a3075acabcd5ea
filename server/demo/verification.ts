// Routine verification in the demo province (issue 13): the vocational schools get their registered
// campus (the geofence), and 郑州市金水区职业中等专业学校 has a term of verification behind it — two tasks
// of 金水区教育局 whose windows have closed (most students passed, some missed, a few missed both: the
// R-MISS-2-4 action due 5 working days after the second), the school's own 联调测试 in between (does not
// count), a leave that exempted a student from the second task, an appeal waiting for the bureau's
// decision, and a task open now for the simulator (`npx xueji simulate-checkins`). Written through the
// server's own functions (publish, roll, window closing, evaluation), as if the phones had checked in.

import { chinaDate, fromChinaTime } from '../../shared/calendar/china';
import type { OrgDoc } from '../../shared/domain/schemas';
import type { SyncDoc, SyncUser } from '../../shared/sync/protocol';
import type { AppealDoc, LeaveDoc, VerificationTaskDoc } from '../../shared/verification/schemas';
import { newTask } from '../../shared/verification/task';
import type { Db } from '../store/db';
import { writeAsServer } from '../sync/store';
import {
  applyAppeal,
  applyLeave,
  finalizeTasks,
  publishTask,
  SERVER_WRITER,
  underLock,
} from '../verification/service';
import { schoolStudents } from '../verification/store';

/** The registered campuses (approximate positions of the demo schools' districts). */
export const DEMO_CAMPUSES: Record<string, { lat: number; lng: number; radiusM: number }> = {
  S41010501: { lat: 34.8086, lng: 113.6869, radiusM: 600 },
  S41012201: { lat: 34.7219, lng: 113.9761, radiusM: 800 },
  S41030501: { lat: 34.6736, lng: 112.4012, radiusM: 700 },
};

const SCHOOL = 'S41010501';
const BUREAU = '410105';

/** A deterministic share of the students (the same demo every time). */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

const day = (now: Date, offset: number) => chinaDate(now.getTime() + offset * 86_400_000);
const at = (ymd: string, hm: string) => fromChinaTime(`${ymd} ${hm}`) as string;

/** Seeds routine verification into the demo province (after the orgs and students of seed.ts). */
export async function seedVerificationDemo(
  db: Db,
  channel: string,
  now: Date,
  orgs: OrgDoc[],
): Promise<void> {
  const withCampus = orgs
    .filter((o) => DEMO_CAMPUSES[o.id])
    .map((o) => ({ ...o, campus: DEMO_CAMPUSES[o.id], updatedAt: now.toISOString() }));
  await writeAsServer(db, 'orgs', withCampus as unknown as SyncDoc[], channel);
  const byId = new Map(orgs.map((o) => [o.id, { ...o, campus: DEMO_CAMPUSES[o.id] ?? o.campus }]));
  const bureau = byId.get(BUREAU);
  const school = byId.get(SCHOOL);
  if (!bureau || !school) return;
  const issuer = (o: OrgDoc, role: SyncUser['role']): SyncUser => ({
    id: `demo:${o.id}`,
    username: `demo:${o.id}`,
    displayName: `${o.name}学籍管理员`,
    role,
    orgId: o.id,
    orgName: o.name,
    orgPath: o.path,
    classIds: [],
  });
  const make = (id: string, who: SyncUser, o: OrgDoc, name: string, start: string, end: string) =>
    newTask({
      id,
      user: who,
      issuerName: o.name,
      name,
      reason: who.role === 'schoolAdmin' ? '学校联调测试（HN 三.3）' : '学期中常态化核验（HN 三.4）',
      start,
      end,
      scope: { schoolIds: [SCHOOL] },
      org: (x) => byId.get(x),
      orgPath: o.path,
      now: start,
    });
  const b = issuer(bureau, 'bureau');
  const first = make(
    'vt-demo-1',
    b,
    bureau,
    '金水区第1次常态化核验',
    at(day(now, -9), '08:00'),
    at(day(now, -9), '18:00'),
  );
  const test = make(
    'vt-demo-test',
    issuer(school, 'schoolAdmin'),
    school,
    '本校联调测试',
    at(day(now, -5), '08:00'),
    at(day(now, -5), '12:00'),
  );
  const second = make(
    'vt-demo-2',
    b,
    bureau,
    '金水区第2次常态化核验',
    at(day(now, -2), '08:00'),
    at(day(now, -2), '18:00'),
  );
  const open = make(
    'vt-demo-3',
    b,
    bureau,
    '金水区第3次常态化核验',
    at(day(now, 0), '00:00'),
    at(day(now, 3), '18:00'),
  );
  const students = (await schoolStudents(db, [SCHOOL])).filter(
    (s) => s.studyForm === '1' && s.status === 'enrolled',
  );
  const sorted = [...students].sort((x, y) => x.id.localeCompare(y.id));
  const onLeave = sorted[0];
  const bothMissed = sorted.filter((s) => hash(`${s.id}:both`) < 0.03);
  const appellant = bothMissed[0];

  // A leave over the second window (approved by the counselor): exempt from the second task.
  if (onLeave) {
    const leave: LeaveDoc = {
      id: 'lv-demo-1',
      kind: 'leave',
      schoolId: SCHOOL,
      orgPath: onLeave.orgPath,
      classId: onLeave.classId,
      studentId: onLeave.id,
      studentName: onLeave.name,
      from: day(now, -3),
      to: day(now, -1),
      reason: '病假（附医院证明）',
      status: 'approved',
      via: 'desk',
      requestedAt: at(day(now, -4), '09:00'),
      requestedBy: 'demo:counselor',
      requestedByName: '班主任 陈老师',
      decidedAt: at(day(now, -4), '09:00'),
      decidedBy: 'demo:counselor',
      decidedByName: '班主任 陈老师',
      returnedOn: day(now, 0),
      returnedAt: now.toISOString(),
      returnedBy: 'demo:counselor',
      updatedAt: now.toISOString(),
      updatedBy: 'demo:counselor',
    };
    await writeAsServer(db, 'leaves', [leave as unknown as SyncDoc], channel);
  }
  const passes = async (task: VerificationTaskDoc, share: number, missing: Set<string>) => {
    const ids = sorted
      .filter((s) => !missing.has(s.id) && hash(`${s.id}:${task.id}`) < share)
      .map((s) => s.id);
    const passedAt = new Date(Date.parse(task.start) + 2 * 3600_000).toISOString();
    await db.query(
      `update verification_roll set state = 'passed', attempts = 1, passed_at = $3, last_at = $3, changed = true,
              version = version + 1 where task_id = $1 and student_id = any($2::text[]) and state = 'pending'`,
      [task.id, ids, passedAt],
    );
  };
  const missing = new Set(bothMissed.map((s) => s.id));
  for (const [task, share] of [
    [first, 0.95],
    [test, 0.9],
    [second, 0.96],
  ] as const) {
    await writeAsServer(db, 'verifications', [task as unknown as SyncDoc], channel);
    await underLock(db, channel, (tx, notices) => publishTask(tx, task, now, notices));
    if (onLeave && task === second) {
      const [leave] = await db.query<{ data: LeaveDoc }>(
        `select data from docs where collection = 'leaves' and id = 'lv-demo-1'`,
      );
      if (leave)
        await underLock(db, channel, (tx, notices) =>
          applyLeave(tx, leave.data, now, notices, SERVER_WRITER),
        );
    }
    // The school's own test: everybody may miss it without consequence.
    await passes(task, share, task === test ? new Set() : missing);
    await finalizeTasks(db, channel, new Date(Date.parse(task.end) + 60_000));
  }
  await writeAsServer(db, 'verifications', [open as unknown as SyncDoc], channel);
  await underLock(db, channel, (tx, notices) => publishTask(tx, open, now, notices));
  // The school appeals one student's two misses: waiting for 金水区教育局's decision.
  if (appellant) {
    const appeal: AppealDoc = {
      id: 'ap-demo-1',
      schoolId: SCHOOL,
      orgPath: appellant.orgPath,
      classId: appellant.classId,
      studentId: appellant.id,
      studentName: appellant.name,
      taskIds: [first.id, second.id],
      rule: 'R-MISS-2-4',
      reason: '两次核验时该生均在合作企业跟岗实习，已附企业和班主任证明',
      via: 'school',
      status: 'submitted',
      submittedAt: now.toISOString(),
      submittedBy: `demo:${SCHOOL}`,
      submittedByName: `${school.name}学籍管理员`,
      updatedAt: now.toISOString(),
      updatedBy: `demo:${SCHOOL}`,
    };
    await writeAsServer(db, 'appeals', [appeal as unknown as SyncDoc], channel);
    await underLock(db, channel, (tx, notices) => applyAppeal(tx, appeal, now, notices, SERVER_WRITER));
  }
}
