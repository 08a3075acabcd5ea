// 账号开通通知单 / 密码重置通知单 (issue 11): the slip an administrator hands to the holder of a new account or
// of a reset password — the org, the holder, the role, the username and the initial password, where to log in,
// and the rules that come with it (R-SECURE, YQ 三: 专人专机…账户的密码要根据系统提示及时进行修改，防止泄密).
// The holder signs for it. The slip is never kept in any log: the password exists only on this paper.
import { PASSWORD_RULE_TEXT } from '../../validate/password';
import { formatDateCn, MM, SIZE } from '../layout';
import type { FormDefinition } from '../render';
import { list, object, oneOf, optional, text } from '../shape';
import { recordFields } from './common';

const KINDS = { create: '账号开通通知单', reset: '密码重置通知单' } as const;

const shape = object('账号通知单', {
  ...recordFields,
  kind: oneOf('通知单类别', KINDS),
  orgName: text('所属单位', { max: 100 }),
  displayName: text('姓名', { max: 50 }),
  roleLabel: text('角色', { max: 30 }),
  username: text('用户名', { max: 40 }),
  initialPassword: text('初始密码', { min: 8, max: 128 }),
  serverUrl: optional(text('登录地址', { max: 200 })),
  classes: optional(list('所带班级', text('班级', { max: 40 }), { max: 30 })),
  enforcementId: optional(text('执法证号', { max: 40 })),
  issuedAt: text('开通时间', { max: 40 }),
  issuedBy: text('经办人', { max: 50 }),
  issuerOrg: text('经办单位', { max: 100 }),
  maxAgeDays: optional(text('密码有效期', { max: 10 })),
});

export type AccountSlipData = ReturnType<typeof shape>;

export const accountSlipForm: FormDefinition<AccountSlipData> = {
  id: 'account-slip',
  title: '学籍管理系统账号通知单',
  orientation: 'portrait',
  shape,
  draw(w, d) {
    w.title(`学籍管理系统${KINDS[d.kind]}`, '（本单须当面交给账号持有人本人，不得转交他人）');
    const pairs: [string, string][] = [
      ['所属单位', d.orgName],
      ['姓名', d.displayName],
      ['角色', d.roleLabel],
      ['用户名', d.username],
    ];
    if (d.enforcementId) pairs.push(['执法证号', d.enforcementId]);
    if (d.classes && d.classes.length > 0) pairs.push(['所带班级', d.classes.join('、')]);
    if (d.serverUrl) pairs.push(['登录地址', d.serverUrl]);
    w.fields(pairs, 1, 1, 4);
    // The password large, with room between characters, so that l/1 and O/0 are never read wrong (the
    // generated ones avoid them too).
    const [lw, vw] = w.cols([1, 4]) as [number, number];
    const spaced = [...d.initialPassword].join(' ');
    w.row(
      [
        {
          text: d.kind === 'reset' ? '新初始密码' : '初始密码',
          width: lw,
          align: 'center',
          shade: true,
          bold: true,
        },
        { text: spaced, width: vw, bold: true, size: SIZE.subtitle + 4, align: 'center' },
      ],
      14 * MM,
    );
    w.fields(
      [
        [d.kind === 'reset' ? '重置时间' : '开通时间', d.issuedAt],
        ['经办人', `${d.issuedBy}（${d.issuerOrg}）`],
      ],
      1,
      1,
      4,
    );
    w.gap(3 * MM);
    const rules = [
      '1. 初始密码只用于首次登录：登录后系统会要求立即修改密码，改好之后才能同步数据和办理业务。',
      `2. 新密码须${PASSWORD_RULE_TEXT}。`,
      `3. 密码每 ${d.maxAgeDays ?? '90'} 天须修改一次，到期前系统会提示（R-SECURE）。`,
      '4. 专人专机：账号只供本人使用，不得转借他人，不得把密码告诉他人或写在电脑旁（YQ 三）。',
      '5. 发现账号异常或密码泄露，请立即联系经办人重置密码；本单阅后请妥善保管或销毁。',
    ];
    w.paragraphBox('注意事项', rules.join('\n'), 30 * MM);
    w.gap(4 * MM);
    const widths = w.cols([1.2, 2, 0.8, 1.6]);
    w.row(
      ['领取人签字', '', '日期', '　　年　月　日'].map((t, i) => ({
        text: t,
        width: widths[i] as number,
        align: 'center' as const,
        shade: i % 2 === 0,
        bold: i % 2 === 0,
      })),
      12 * MM,
    );
    w.row(
      ['经办人签字', '', '日期', formatDateCn(d.printedAt ?? d.issuedAt.slice(0, 10))].map((t, i) => ({
        text: t,
        width: widths[i] as number,
        align: 'center' as const,
        shade: i % 2 === 0,
        bold: i % 2 === 0,
      })),
      12 * MM,
    );
  },
};
