// Sync commands: taking over the server's school as this machine's school after the first download,
// resolving a conflict from the inbox (the resolution is itself a recorded edit, R-WHO), and marking a
// server refusal as read. The decisions come from shared/sync; this file only writes them.

import { lockEvent } from '../../../../shared/commands/local-lock';
import {
  type AreaSettings,
  deskUserOf,
  type LocalSettings,
  SCHOOL_DESK_ROLES,
} from '../../../../shared/commands/school-setup';
import { refuse } from '../../../../shared/commands/types';
import type { EventDoc, SyncIssueDoc } from '../../../../shared/domain/schemas';
import { FIELD_META, type StudentField } from '../../../../shared/domain/student';
import { type ResolutionChoice, resolveConflictIssue } from '../../../../shared/sync/conflicts';
import type { SyncDoc, SyncUser } from '../../../../shared/sync/protocol';
import { checkField, normalizeValue } from '../../../../shared/validate/student';
import { readAccount } from '../../sync/account';
import type { CommandContext } from '../command-context';
import { readLock, writeLockCredential } from '../local-lock';
import { SETTINGS_ID } from '../settings';

/** A value typed by a person for "another value": checked and stored like the student page does. */
function checkOtherValue(collection: string, field: string, value: unknown) {
  if (collection !== 'students' || typeof value !== 'string') return { value };
  const meta = FIELD_META.get(field as StudentField);
  if (!meta) return { value };
  // The one value clean-up of shared/validate, as on the student page and in the import.
  const r = normalizeValue(meta, value);
  if (r === null) return meta.required ? { error: checkField(meta, value) } : { value: null };
  return 'error' in r ? { error: r.error } : { value: r.value };
}

/** R-SECURE: the profile is opened with the password of the login (its salted hash), offline too. */
async function adoptLoginPassword(ctx: CommandContext, orgId: string, at: string): Promise<void> {
  const account = await readAccount(ctx.db);
  if (account && !(await readLock(ctx.db))) {
    await writeLockCredential(ctx.db, account.credential, 'server', at);
    await ctx.db.events.insert(lockEvent(ctx.env, orgId, { kind: 'password', source: 'server' }));
  }
}

/** The area desk's adoption (see 'sync-adopt-area'). */
async function adoptArea(ctx: CommandContext, args: { user: SyncUser }) {
  if (ctx.installation)
    return refuse({
      field: 'orgId',
      code: 'ALREADY_SET_UP',
      message: '本机已建立档案，不能重复建立',
    });
  if (SCHOOL_DESK_ROLES.has(args.user.role))
    return refuse({
      field: 'orgId',
      code: 'SCHOOL_ROLE',
      message: '学校的账号下载本校数据，不建立辖区档案',
    });
  const org = await ctx.db.orgs.findOne(args.user.orgId).exec();
  if (!org)
    return refuse({
      field: 'orgId',
      code: 'NOT_PULLED',
      message: `尚未从省级平台收到“${args.user.orgName}”的单位信息，请稍候重试`,
    });
  const settings: AreaSettings = {
    kind: 'area',
    orgId: org.id,
    operatorName: args.user.displayName.slice(0, 50),
    demo: false,
    user: deskUserOf(args.user),
  };
  await recordAdoption(ctx, org.id, settings.operatorName, 'sync-adopt-area', {
    reason: `从省级平台下载辖区数据（账号 ${args.user.username}）`,
    after: { orgId: org.id, students: await ctx.db.students.count().exec() },
  });
  await ctx.db.upsertLocal(SETTINGS_ID, settings);
  return { ok: true as const, settings };
}

/** The adoption's history event (R-WHO) and the login's password as the local one; the caller writes the
 * settings last, so the copy counts as set up only once these are stored. */
async function recordAdoption(
  ctx: CommandContext,
  orgId: string,
  operatorName: string,
  action: 'sync-adopt-area' | 'sync-adopt-school',
  what: { reason: string; after: Record<string, unknown> },
): Promise<void> {
  const at = ctx.env.now();
  const event: EventDoc = {
    id: ctx.env.newId(),
    schoolId: orgId,
    entity: 'org',
    entityId: orgId,
    action,
    at,
    by: `local:${operatorName}`,
    byName: operatorName,
    reason: what.reason,
    before: {},
    after: what.after,
  };
  await ctx.db.events.insert(event);
  await adoptLoginPassword(ctx, orgId, at);
}

export const syncCommands = {
  /** After the first download: the server's school becomes this machine's school (no local setup). */
  async 'sync-adopt-school'(ctx: CommandContext, args: { user: SyncUser }) {
    if (!SCHOOL_DESK_ROLES.has(args.user.role)) return adoptArea(ctx, args);
    if (ctx.installation)
      return refuse({
        field: 'schoolId',
        code: 'ALREADY_SET_UP',
        message: '本机已建立学校档案，不能重复建立',
      });
    const school = await ctx.db.orgs.findOne(args.user.orgId).exec();
    if (!school)
      return refuse({
        field: 'schoolId',
        code: 'NOT_PULLED',
        message: `尚未从省级平台收到“${args.user.orgName}”的单位信息，请稍候重试`,
      });
    const settings: LocalSettings = {
      schoolId: school.id,
      schoolType: school.schoolType ?? 'k12',
      operatorName: args.user.displayName.slice(0, 50),
      demo: false,
      user: deskUserOf(args.user),
    };
    await recordAdoption(ctx, school.id, settings.operatorName, 'sync-adopt-school', {
      reason: `从省级平台下载本校数据（账号 ${args.user.username}）`,
      after: { schoolId: school.id, students: await ctx.db.students.count().exec() },
    });
    // Written last: the app counts as set up only once everything above is stored.
    await ctx.db.upsertLocal(SETTINGS_ID, settings);
    return { ok: true as const, settings };
  },

  /**
   * After the first download of a bureau, the province or an inspector: this machine becomes that
   * org's desk (its schools arrive by sync; there is no local profile of a bureau).
   */
  'sync-adopt-area': adoptArea,

  /**
   * Resolves one conflict: the chosen value is written to the record as a new edit, the issue is closed
   * with who and when, and a history event records it — all three or nothing.
   */
  async 'conflict-resolve'(ctx: CommandContext, args: { issueId: string; choice: ResolutionChoice }) {
    const issueDoc = await ctx.db.syncIssues.findOne(args.issueId).exec();
    if (!issueDoc)
      return refuse({
        field: 'issueId',
        code: 'NOT_FOUND',
        message: '找不到这条冲突记录，可能已被其他设备处理',
      });
    const issue = issueDoc.toMutableJSON() as SyncIssueDoc;
    if (issue.kind !== 'conflict')
      return refuse({ field: 'issueId', code: 'NOT_CONFLICT', message: '这是服务器退回的记录，不是冲突' });
    if (issue.status !== 'open')
      return refuse({
        field: 'issueId',
        code: 'ALREADY_RESOLVED',
        message: `这条冲突已由 ${issue.resolvedBy ?? '他人'} 处理`,
      });
    let choice = args.choice;
    if (choice.keep === 'other') {
      const checked = checkOtherValue(issue.docCollection, issue.field ?? '', choice.value);
      if ('error' in checked && checked.error)
        return refuse({
          ...checked.error,
          field: 'value',
          message: `${issue.fieldLabel ?? ''}：${checked.error.message}`,
        });
      choice = { keep: 'other', value: checked.value };
    }
    const collection = ctx.db.collections[issue.docCollection as keyof typeof ctx.db.collections];
    if (!collection)
      return refuse({
        field: 'docCollection',
        code: 'UNKNOWN',
        message: `未知的数据集合：${issue.docCollection}`,
      });
    const recordDoc = await collection.findOne(issue.docId).exec();
    if (!recordDoc)
      return refuse({
        field: 'docId',
        code: 'NOT_FOUND',
        message: `找不到${issue.docTitle ?? '该记录'}，可能已被删除`,
      });
    const by = ctx.env.actor.id;
    const at = ctx.env.now();
    const resolution = resolveConflictIssue(issue, recordDoc.toMutableJSON() as SyncDoc, choice, by, at);
    const event: EventDoc = {
      ...resolution.event,
      id: ctx.env.newId(),
      entity: resolution.event.entity as EventDoc['entity'],
      byName: ctx.env.actor.name,
    };
    const before = recordDoc.toMutableJSON() as SyncDoc;
    if (resolution.document) {
      const next = resolution.document;
      await recordDoc.incrementalModify(() => {
        const { _deleted, ...state } = next;
        return state as never;
      });
    }
    try {
      await ctx.db.events.insert(event);
      await issueDoc.incrementalModify(() => resolution.issue as never);
    } catch (error) {
      // Nothing is half-written: the record goes back to what it was before the resolution.
      if (resolution.document)
        await recordDoc.getLatest().incrementalModify(() => {
          const { _deleted, ...state } = before;
          return state as never;
        });
      throw error;
    }
    return { ok: true as const, issue: resolution.issue, event };
  },

  /** A server refusal the person has read: it stays in the record's history as dismissed. */
  async 'sync-issue-dismiss'(ctx: CommandContext, args: { issueId: string }) {
    const doc = await ctx.db.syncIssues.findOne(args.issueId).exec();
    if (!doc) return refuse({ field: 'issueId', code: 'NOT_FOUND', message: '找不到这条记录' });
    if (doc.status !== 'open') return { ok: true as const };
    const at = ctx.env.now();
    await doc.incrementalModify((d) => ({
      ...d,
      status: 'dismissed',
      resolvedBy: ctx.env.actor.id,
      resolvedAt: at,
      updatedAt: at,
      updatedBy: ctx.env.actor.id,
    }));
    return { ok: true as const };
  },
};
