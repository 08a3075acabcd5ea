// Which org (and desk) the local database holds versus which a server login belongs to. Logging in must
// never mix two orgs' data in one local copy, nor show one person's copy to another whose scope is
// smaller: the same school attaches (its registrar, or the counselor the copy was downloaded for); the
// same bureau, province or inspector attaches; anything else (another school, the local demo school, a
// counselor on the registrar's copy, a school account on a bureau's copy) is refused unless the person
// confirms starting a fresh local copy from the server.
import {
  type InstallationSettings,
  installationOrgId,
  isAreaSettings,
  SCHOOL_DESK_ROLES,
} from '../../../shared/commands/school-setup';
import { ROLE_LABELS, type SyncUser } from '../../../shared/sync/protocol';

export type Alignment =
  | { kind: 'fresh' }
  | { kind: 'attach' }
  | { kind: 'mismatch'; message: string }
  | { kind: 'refused'; message: string };

const sameClasses = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

export function decideAlignment(input: {
  settings: InstallationSettings | null;
  localSchoolName: string | null;
  localStudents: number;
  user: SyncUser;
}): Alignment {
  const { settings, user } = input;
  if (!settings) return { kind: 'fresh' };
  const localId = installationOrgId(settings);
  const local = input.localSchoolName ?? localId;
  const fresh = `如确认本机改为“${user.orgName}”使用，可清空本机数据后从省级平台重新下载`;
  if (settings.demo)
    return {
      kind: 'mismatch',
      message: `本机现有的是演示学校“${local}”（${input.localStudents} 名演示学生），不能与“${user.orgName}”的真实数据混在一起。可以清空本机演示数据，从省级平台下载“${user.orgName}”的数据`,
    };
  if (localId !== user.orgId)
    return {
      kind: 'mismatch',
      message: `本机保存的是“${local}”（单位代码 ${localId}，${input.localStudents} 名学生）的数据，而账号“${user.username}”属于“${user.orgName}”（${user.orgId}）。为避免两个单位的数据混在一起，未登录同步。${fresh}`,
    };
  const schoolAccount = SCHOOL_DESK_ROLES.has(user.role);
  if (isAreaSettings(settings) === schoolAccount)
    return {
      kind: 'mismatch',
      message: `本机是“${local}”的${isAreaSettings(settings) ? '辖区' : '学校'}数据，账号“${user.username}”是${ROLE_LABELS[user.role]}账号，工作范围不同，未登录同步。${fresh}`,
    };
  const adopted = settings.user;
  // A local profile (no adopted account) is the registrar's: a counselor would see every class on it.
  const counselorOnOtherCopy =
    user.role === 'counselor' &&
    (adopted?.role !== 'counselor' || !sameClasses(adopted.classIds, user.classIds));
  // A registrar's login on a counselor's copy would keep working on a copy of two classes only.
  const adminOnCounselorCopy = user.role !== 'counselor' && adopted?.role === 'counselor';
  if (counselorOnOtherCopy || adminOnCounselorCopy)
    return {
      kind: 'mismatch',
      message: `本机保存的“${local}”数据是${adopted ? `账号“${adopted.username}”（${ROLE_LABELS[adopted.role]}）` : '本校学籍管理员'}的工作范围，与账号“${user.username}”（${ROLE_LABELS[user.role]}）的范围不同，未登录同步。${fresh}`,
    };
  if (adopted && adopted.role !== user.role)
    return {
      kind: 'mismatch',
      message: `本机的数据是账号“${adopted.username}”（${ROLE_LABELS[adopted.role]}）的工作范围，账号“${user.username}”是${ROLE_LABELS[user.role]}，未登录同步。${fresh}`,
    };
  return { kind: 'attach' };
}
