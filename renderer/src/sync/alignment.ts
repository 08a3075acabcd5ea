// Which school the local database holds versus which school a server login belongs to. Logging in must
// never mix two schools' data in one local copy: the same school attaches; a different school (or the
// local demo school) is refused unless the person confirms starting a fresh local copy from the server.
import type { LocalSettings } from '../../../shared/commands/school-setup';
import { ROLE_LABELS, type SyncUser } from '../../../shared/sync/protocol';

export type Alignment =
  | { kind: 'fresh' }
  | { kind: 'attach' }
  | { kind: 'mismatch'; message: string }
  | { kind: 'refused'; message: string };

/** Roles that hold one school's records: the school app's users. */
const SCHOOL_ROLES = new Set(['schoolAdmin', 'counselor']);

export function decideAlignment(input: {
  settings: LocalSettings | null;
  localSchoolName: string | null;
  localStudents: number;
  user: SyncUser;
}): Alignment {
  const { settings, user } = input;
  if (!SCHOOL_ROLES.has(user.role))
    return {
      kind: 'refused',
      message: `账号“${user.username}”是${ROLE_LABELS[user.role]}账号（${user.orgName}）。本机是学校端，只能由本校学籍管理员或班主任登录同步；教育局、督查人员请使用省级平台网页端`,
    };
  if (!settings) return { kind: 'fresh' };
  const local = input.localSchoolName ?? settings.schoolId;
  if (settings.demo)
    return {
      kind: 'mismatch',
      message: `本机现有的是演示学校“${local}”（${input.localStudents} 名演示学生），不能与“${user.orgName}”的真实数据混在一起。可以清空本机演示数据，从省级平台下载本校数据`,
    };
  if (settings.schoolId !== user.orgId)
    return {
      kind: 'mismatch',
      message: `本机保存的是“${local}”（学校标识码 ${settings.schoolId}，${input.localStudents} 名学生）的数据，而账号“${user.username}”属于“${user.orgName}”（${user.orgId}）。为避免两校数据混在一起，未登录同步。如确认本机改为“${user.orgName}”使用，可清空本机数据后从省级平台重新下载`,
    };
  return { kind: 'attach' };
}
