// The rule registry: every rule of DOMAIN.md's table with its Chinese title, its source (file and
// section), the clause quoted verbatim from the regulation text (rules.test.ts finds each one in the file
// it cites), its level, the settings it reads, and its evaluate function (checks) or where the product
// enforces it (product behaviour). The app's 政策规则 page, `xueji rules list` and docs/rules.md show it.
import type { WorkCalendar } from '../calendar/calendar';
import type { Ymd } from '../calendar/dates';
import { checkEscalation, checkGraduationJune, checkOneWeek } from './checks/changes';
import { checkInspection } from './checks/inspection';
import { checkFlexible, checkTransfer4No, checkTransferGrades, checkTransferWindow } from './checks/transfer';
import { checkAbsence, checkLeaveLimit, checkVerification } from './checks/verification';
import { RULE_TITLES, type RuleId } from './ids';
import type { RuleSettingKey, RuleSettings } from './settings';
import type {
  AbsenceFact,
  AppealFact,
  ChangeFacts,
  CheckinFact,
  Finding,
  InspectionFacts,
  LeaveFact,
  RuleLevel,
  SchoolFacts,
  StudentFacts,
  TaskFact,
  TermFacts,
} from './types';

export type RegulationDoc = 'HN' | 'YQ';

export const REGULATIONS: Record<RegulationDoc, { file: string; title: string; short: string }> = {
  HN: {
    file: '000_79e015d44dc0b602.txt',
    short: '河南省常态化核验通知',
    title: '河南省教育厅办公室《关于开展中等职业教育学生学籍常态化核验工作的通知》（教办职成〔2022〕334号）',
  },
  YQ: {
    file: '004_7e5e3d55eccfbf3d.txt',
    short: '阳泉市实地核查工作指引',
    title:
      '阳泉市教育局《“双随机、一公开”实地核查工作指引》（含中小学学籍管理、中职学生管理信息系统检查指引）',
  },
};

export type RuleSource = {
  doc: RegulationDoc;
  /** as DOMAIN.md cites it: "二(四)", "中职 二(五)", "总述 三", "四.1" */
  section: string;
  /** the section's heading in Chinese, for people */
  heading: string;
};

/** What a rule's evaluate function sees: a case (docs/rules.md) with settings and the calendar. */
export type RuleContext = {
  date: Ymd;
  schools: Readonly<Record<string, SchoolFacts>>;
  term?: TermFacts;
  student?: StudentFacts;
  change?: ChangeFacts;
  /** present when the case is a term of routine verification */
  tasks?: readonly TaskFact[];
  checkins: readonly CheckinFact[];
  leaves: readonly LeaveFact[];
  appeals: readonly AppealFact[];
  absences: readonly AbsenceFact[];
  inspection?: InspectionFacts;
  settings: RuleSettings;
  calendar: WorkCalendar;
  /** calendar warnings collected while evaluating (unknown years) */
  warnings: string[];
  /** rules evaluated together share one computation (verification, inspection) */
  cache: Map<string, Finding[]>;
};

export type RuleDef = {
  id: RuleId;
  title: string;
  /** check: evaluated on data; product: behaviour of the product, enforced where `enforcedBy` says */
  kind: 'check' | 'product';
  level: RuleLevel;
  source: RuleSource;
  /** the clause, verbatim from the regulation file */
  clause: string;
  /** further verbatim clauses of the same file the rule rests on */
  related?: readonly { source: RuleSource; clause: string }[];
  settings: readonly RuleSettingKey[];
  /** how the rule is applied, in Chinese (periods: how they are counted) */
  applies: string;
  /** product rules: where the product enforces it, in Chinese */
  enforcedBy?: string;
  /** product rules: the code that enforces it (for developers; not shown to users) */
  codeRefs?: readonly string[];
  evaluate?: (ctx: RuleContext) => Finding[];
};

const HN = (section: string, heading: string): RuleSource => ({ doc: 'HN', section, heading });
const YQ = (section: string, heading: string): RuleSource => ({ doc: 'YQ', section, heading });

const HN_LEAVE = HN('三.5', '三、常态化核验的程序 5. 学生日常管理');
const HN_RESULTS = HN('四.1', '四、核验结果应用 1. 相关资格的变更');
const YQ_CHANGES = YQ('二(四)', '中小学学籍管理 二、学籍管理（四）学籍异动');
const YQ_OTHER_2 = YQ('四(二)', '中小学学籍管理 四、其他要求（二）');
const YQ_ONSITE = YQ('总述 二', '总述 二、实地核查');
const YQ_RESULTS = YQ('总述 三', '总述 三、结果公示');

function cached(ctx: RuleContext, key: string, run: () => Finding[]): Finding[] {
  let v = ctx.cache.get(key);
  if (!v) {
    v = run();
    ctx.cache.set(key, v);
  }
  return v;
}

/** The rules of routine verification, computed once per case and handed out by rule. */
function verification(ctx: RuleContext, id: RuleId): Finding[] {
  const all = cached(ctx, 'verification', () => {
    const student = ctx.student;
    if (!student) return [];
    const facts = {
      date: ctx.date,
      ...(ctx.term ? { term: ctx.term } : {}),
      student,
      tasks: ctx.tasks ?? [],
      checkins: ctx.checkins,
      leaves: ctx.leaves,
      appeals: ctx.appeals,
      absences: ctx.absences,
    };
    if (ctx.tasks) return checkVerification(facts, ctx.settings, ctx.calendar, ctx.warnings);
    // Without tasks only the leave rules apply (attendance is not expected of part-time students).
    return [
      ...checkLeaveLimit(facts, ctx.settings, ctx.calendar, ctx.warnings),
      ...(student.studyForm === 'partTime'
        ? []
        : checkAbsence(facts, ctx.settings, ctx.calendar, ctx.warnings)),
    ];
  });
  return all.filter((f) => f.rule === id);
}

function inspection(ctx: RuleContext, id: RuleId): Finding[] {
  const f = ctx.inspection;
  if (!f) return [];
  const all = cached(ctx, 'inspection', () =>
    checkInspection(
      f,
      ctx.date,
      ctx.settings,
      ctx.calendar,
      ctx.warnings,
      ctx.schools[f.schoolId]?.name ?? f.schoolId,
    ),
  );
  return all.filter((x) => x.rule === id);
}

/** The sending and receiving school of a transfer case (validated by the case parser). */
function transfer(ctx: RuleContext): { from: SchoolFacts; to: SchoolFacts; student: StudentFacts } | null {
  const { change, student } = ctx;
  if (change?.type !== 'transfer' || !student || !change.toSchoolId) return null;
  const from = ctx.schools[student.schoolId];
  const to = ctx.schools[change.toSchoolId];
  return from && to ? { from, to, student } : null;
}

export const RULES: readonly RuleDef[] = [
  {
    id: 'R-ONE',
    title: RULE_TITLES['R-ONE'],
    kind: 'product',
    level: 'refuse',
    source: YQ('四(一)', '中小学学籍管理 四、其他要求（一）'),
    clause: '学籍管理严格执行“一人一籍、人籍一致、籍随人走”的原则',
    related: [
      {
        source: YQ('中职 二(四)', '中职检查工作指引 二（四）不得重复注册学籍的检查'),
        clause: '不得为同一学生以不同类型的高中阶段教育学校身份分别注册学籍',
      },
    ],
    settings: [],
    applies: '同一身份证件号在全省只能有一条在籍（在校、休学）记录，跨学校也不例外。',
    enforcedBy:
      '省级平台接收每一条学生记录时查重，已有在籍记录的拒收并说明在哪所学校；花名册导入预览对文件内重复和本机已有记录逐行报错。',
    codeRefs: [
      'server/sync/store.ts serverRules',
      'shared/sync/rules.ts rOneRefusal',
      'shared/import/parse.ts',
      'shared/import/preview.ts',
    ],
  },
  {
    id: 'R-LEAVE-15',
    title: RULE_TITLES['R-LEAVE-15'],
    kind: 'check',
    level: 'action',
    source: HN_LEAVE,
    clause: '但学生每学期累计请假时间不得超过 15 天，超出者按休学处理',
    settings: ['leaveLimitDays', 'leaveActionWorkdays'],
    applies:
      '本学期内已批准的请假按日历天数累计（同一天只算一次，销假当天起不再计）；超过上限后，自超出的第一天起在处理期限（工作日）内提出休学。',
    evaluate: (ctx) => verification(ctx, 'R-LEAVE-15'),
  },
  {
    id: 'R-ABSENT-3M',
    title: RULE_TITLES['R-ABSENT-3M'],
    kind: 'check',
    level: 'action',
    source: HN_LEAVE,
    clause: '学生未履行请假手续超过 3 个月的，学生电子学籍按退学处理',
    settings: ['absenceLimitMonths', 'leaveActionWorkdays'],
    applies:
      '未请假（或请假未获批准）连续缺勤，自缺勤第一天起按自然月计算：缺勤到满 3 个月的次日仍未返校即为超过；之后在处理期限（工作日）内提出退学。',
    evaluate: (ctx) => verification(ctx, 'R-ABSENT-3M'),
  },
  {
    id: 'R-LEAVE-EXEMPT',
    title: RULE_TITLES['R-LEAVE-EXEMPT'],
    kind: 'check',
    level: 'info',
    source: HN_LEAVE,
    clause: '学生学籍处于请假状态，不参与请假期间的学籍核验',
    settings: [],
    applies: '已批准的请假与核验任务的时间窗口有一天重叠，该生即不参与该次核验，不计为未核验。',
    evaluate: (ctx) => verification(ctx, 'R-LEAVE-EXEMPT'),
  },
  {
    id: 'R-VERIFY-TERM',
    title: RULE_TITLES['R-VERIFY-TERM'],
    kind: 'check',
    level: 'action',
    source: HN_RESULTS,
    clause: '学校应于每学期学生到校注册时完成至少 1 次学籍核验',
    settings: ['registrationWorkdays'],
    applies: '全日制在校生本学期没有任何一次通过的核验时，须在开学后的到校注册期（工作日，设置项）内完成。',
    evaluate: (ctx) => verification(ctx, 'R-VERIFY-TERM'),
  },
  {
    id: 'R-PART-TIME',
    title: RULE_TITLES['R-PART-TIME'],
    kind: 'check',
    level: 'info',
    source: HN('二', '二、常态化核验中职学生学籍的对象和信息系统'),
    clause: '学习形式为非全日制学习的学生只需完成每年两次注册学籍',
    settings: [],
    applies: '非全日制学生不在核验任务范围内，未核验不计，也不触发未核验的处理。',
    evaluate: (ctx) => verification(ctx, 'R-PART-TIME'),
  },
  {
    id: 'R-MISS-2-4',
    title: RULE_TITLES['R-MISS-2-4'],
    kind: 'check',
    level: 'action',
    source: HN_RESULTS,
    clause:
      '对于上级教育行政部门发起的学籍核验通知，在校学生每个学期内连续出现 2 次、累计 4 次不能按时完成学籍核验且无正当理由的，学校学籍管理员须在 5 个工作日内根据上级教育部门在学籍备案系统内发起的提示信息，结合实际情况把学生的学习形式变更为非全日制或对学生予以休学、退学等处理',
    settings: ['missConsecutive', 'missTotal', 'missActionWorkdays'],
    applies:
      '只计省教育厅和上级教育局发起、在本学期内截止的核验任务（学校自己发起的点名测试不计）；任务截止日过后仍未通过即为一次未核验，请假免核验和申诉通过的不计；通过一次即中断“连续”。达到连续或累计次数时，自该次任务截止日的次日起算 5 个工作日为处理期限。',
    evaluate: (ctx) => verification(ctx, 'R-MISS-2-4'),
  },
  {
    id: 'R-ESCALATE',
    title: RULE_TITLES['R-ESCALATE'],
    kind: 'check',
    level: 'info',
    source: HN_RESULTS,
    clause:
      '因核验未通过而对学生学籍的异动完成后，再次异动该生学籍信息的需要学校逐级提请异动报告到省教育厅批准',
    settings: [],
    applies: '因未核验而办理过异动的学生，此后的任何学籍异动在学校、教育局之后还须经省教育厅批准。',
    evaluate: (ctx) => (ctx.student && ctx.change ? checkEscalation(ctx.student, ctx.change) : []),
  },
  {
    id: 'R-AID-STOP',
    title: RULE_TITLES['R-AID-STOP'],
    kind: 'check',
    level: 'action',
    source: HN_RESULTS,
    clause:
      '该生申请的本学期资助金、国家免学费资金尚未发放的，学校应向资助部门提交撤回该生资助、免学费的申请',
    settings: ['missActionWorkdays'],
    applies:
      '与未核验处理同时办理：本学期已申请而尚未发放的资助金、免学费，与 R-MISS-2-4 同一期限内提交撤回申请。',
    evaluate: (ctx) => verification(ctx, 'R-AID-STOP'),
  },
  {
    id: 'R-APPEAL',
    title: RULE_TITLES['R-APPEAL'],
    kind: 'check',
    level: 'action',
    source: HN('四.2', '四、核验结果应用 2. 结果申诉'),
    clause: '申诉通过的，恢复原学籍状态',
    related: [
      {
        source: HN('四.2', '四、核验结果应用 2. 结果申诉'),
        clause: '学生或学校对核验结果、应届生高考报名资格有异议的',
      },
    ],
    settings: [],
    applies: '申诉通过的核验不计为未核验；因未核验而改变的学籍状态，在不再满足处理条件时恢复为原状态。',
    evaluate: (ctx) => verification(ctx, 'R-APPEAL'),
  },
  {
    id: 'R-TX-WINDOW',
    title: RULE_TITLES['R-TX-WINDOW'],
    kind: 'check',
    level: 'refuse',
    source: YQ_CHANGES,
    clause: '转学办理时间为每学期开学前后一个月之内',
    related: [{ source: YQ_OTHER_2, clause: '原则上学期中不得转学' }],
    settings: ['transferWindowMonths', 'transferStepWorkdays'],
    applies:
      '按自然月计算：开学日前一个月的同一天至开学日后一个月的同一天（两端都含）可以申请转学。办理期内各方依次审核：转入学校自申请日、其后每一方自上一方同意之日的次日起，各在审核期限（工作日，设置项）内办理。',
    evaluate: (ctx) => {
      const t = transfer(ctx);
      return t && ctx.term && ctx.change
        ? checkTransferWindow(ctx.change.appliedOn, ctx.term, ctx.settings)
        : [];
    },
  },
  {
    id: 'R-TX-GRADES',
    title: RULE_TITLES['R-TX-GRADES'],
    kind: 'check',
    level: 'refuse',
    source: YQ_OTHER_2,
    clause: '本市内中小学起始年级与毕业年级不得转学',
    settings: [],
    applies:
      '小学、初中、普通高中学生在同一市内的学校之间转学：第一学年（起始年级）和最后一学年（毕业年级）不得转学。',
    evaluate: (ctx) => {
      const t = transfer(ctx);
      return t ? checkTransferGrades(t.from, t.to, t.student) : [];
    },
  },
  {
    id: 'R-TX-4NO',
    title: RULE_TITLES['R-TX-4NO'],
    kind: 'check',
    level: 'refuse',
    source: YQ_OTHER_2,
    clause:
      '民办高中不能转入公办高中，一般普通高中不能转入省级示范高中，同一招生区域普通高中之间不能转学，普通高中不得接收中等职业教育学校（包括普通中专学校、职业高中学校、技工学校学校和成人中专学校）学生转入',
    settings: [],
    applies: '转入普通高中时逐条检查四种情形，每种情形单独给出一条结论。',
    evaluate: (ctx) => {
      const t = transfer(ctx);
      return t ? checkTransfer4No(t.from, t.to) : [];
    },
  },
  {
    id: 'R-FLEX',
    title: RULE_TITLES['R-FLEX'],
    kind: 'check',
    level: 'warn',
    source: YQ('中职 二(五)', '中职检查工作指引 二（五）学籍变动与信息变更的检查'),
    clause: '采用弹性学习形式的学生,原则上不予转学、转专业或休学',
    settings: [],
    applies: '弹性学习的学生申请转学、转专业或休学时提示“原则上不予办理”，确需办理的须书面说明理由。',
    evaluate: (ctx) => (ctx.student && ctx.change ? checkFlexible(ctx.student, ctx.change.type) : []),
  },
  {
    id: 'R-1WEEK',
    title: RULE_TITLES['R-1WEEK'],
    kind: 'check',
    level: 'action',
    source: YQ_CHANGES,
    clause:
      '休学、复学、死亡、出国、高中生退学等填写相关表格后，在电子系统里上传佐证材料（签字盖章后的审批表、证明材料等），到主管教育局办理有关手续，办理期限为学生提出申请后一周内完成',
    related: [
      {
        source: YQ('二(五)', '中小学学籍管理 二、学籍管理（五）数据维护'),
        clause: '到主管教育局审批，办理期限为学生提交申请后一周内完成',
      },
    ],
    settings: ['changeDeadlineDays'],
    applies:
      '按日历天数计算：申请日加 7 天为最后期限（不因节假日顺延）；适用于休学、复学、死亡、出国（境）、普通高中学生退学和基本信息变更。',
    evaluate: (ctx) =>
      ctx.change
        ? checkOneWeek(
            ctx.change,
            ctx.student ? ctx.schools[ctx.student.schoolId] : undefined,
            ctx.date,
            ctx.settings,
          )
        : [],
  },
  {
    id: 'R-GRAD-JUNE',
    title: RULE_TITLES['R-GRAD-JUNE'],
    kind: 'check',
    level: 'action',
    source: YQ('二(三)', '中小学学籍管理 二、学籍管理（三）学生毕业'),
    clause: '每年6月底前，必须完成毕业生学籍信息，包括：学习简历、和毕业评语，以及毕业生审核',
    settings: ['graduationDeadline'],
    applies: '毕业申请所在年份的 6 月 30 日（设置项）为最后期限。',
    evaluate: (ctx) => (ctx.change ? checkGraduationJune(ctx.change, ctx.date, ctx.settings) : []),
  },
  {
    id: 'R-INSP-2',
    title: RULE_TITLES['R-INSP-2'],
    kind: 'check',
    level: 'refuse',
    source: YQ_ONSITE,
    clause: '实地核查人员不得少于两人，并应当出示执法证件',
    settings: ['inspectorsMin'],
    applies: '每个检查对象至少两名持执法证号、且与该对象无利害关系的检查人员。',
    evaluate: (ctx) => inspection(ctx, 'R-INSP-2'),
  },
  {
    id: 'R-INSP-RECUSE',
    title: RULE_TITLES['R-INSP-RECUSE'],
    kind: 'check',
    level: 'refuse',
    source: YQ_ONSITE,
    clause: '实地核查人员与检查对象有利害关系的，应依法回避',
    settings: [],
    applies: '检查人员申报过利害关系的学校，不得抽中、不得参加该校的实地核查。',
    evaluate: (ctx) => inspection(ctx, 'R-INSP-RECUSE'),
  },
  {
    id: 'R-INSP-TRACE',
    title: RULE_TITLES['R-INSP-TRACE'],
    kind: 'product',
    level: 'info',
    source: YQ_ONSITE,
    clause: '应注意通过文字、音频或影像等方式留存核查痕迹，确保责任可追溯',
    settings: [],
    applies: '实地核查的每个检查项目可附文字、照片、录音，随检查记录保存和同步。',
    enforcedBy:
      '实地检查功能：每个检查项目可附文字说明、照片和现场录音，随检查记录保存、同步给教育局（随实地检查功能提供）。',
    codeRefs: [
      'shared/domain/schemas.ts attachmentSchema (kind: photo, audio, video)',
      'server/attachments/routes.ts',
    ],
  },
  {
    id: 'R-REPORT-10',
    title: RULE_TITLES['R-REPORT-10'],
    kind: 'check',
    level: 'action',
    source: YQ_RESULTS,
    clause: '各科室应当在检查工结束后10个工作日内，完成检查报告',
    settings: ['reportWorkdays'],
    applies: '自检查结束的次日起算 10 个工作日（国务院放假安排，含调休上班日），第 10 个工作日为最后期限。',
    evaluate: (ctx) => inspection(ctx, 'R-REPORT-10'),
  },
  {
    id: 'R-PUBLISH-20',
    title: RULE_TITLES['R-PUBLISH-20'],
    kind: 'check',
    level: 'action',
    source: YQ_RESULTS,
    clause: '抽查情况以及查处结果原则上应当在自抽查结束之日起 20 个工作日内向社会公开',
    settings: ['publishWorkdays'],
    applies: '自抽查结束的次日起算 20 个工作日，第 20 个工作日为最后期限。',
    evaluate: (ctx) => inspection(ctx, 'R-PUBLISH-20'),
  },
  {
    id: 'R-DAILY',
    title: RULE_TITLES['R-DAILY'],
    kind: 'product',
    level: 'info',
    source: YQ('四(一)', '中小学学籍管理 四、其他要求（一）'),
    clause: '学籍员须每天登陆系统，及时掌握和处理相关学籍变动等业务',
    settings: [],
    applies: '学籍员每天打开即看到待处理的业务和到期、逾期的事项。',
    enforcedBy:
      '待办：各角色打开即见等待自己处理、已逾期（按工作日计算并注明依据的规则）的事项（随学籍异动功能提供）。',
    codeRefs: [],
  },
  {
    id: 'R-WHO',
    title: RULE_TITLES['R-WHO'],
    kind: 'product',
    level: 'info',
    source: YQ('四(三)', '中小学学籍管理 四、其他要求（三）'),
    clause: '坚持“谁采集谁负责、谁录入谁负责、谁审核谁负责”的原则',
    settings: [],
    applies: '每一次录入、修改、审核都记下经办人和时间，可追溯到人。',
    enforcedBy:
      '每一次修改都写入历史记录（经办人、时间、修改前后、原因），学生页面可查；省级平台另外保存每一次写入的原样和设备。',
    codeRefs: [
      'shared/commands/*',
      'shared/domain/schemas.ts eventSchema',
      'server/sync/store.ts doc_history',
    ],
  },
  {
    id: 'R-SECURE',
    title: RULE_TITLES['R-SECURE'],
    kind: 'product',
    level: 'refuse',
    source: YQ('三', '中小学学籍管理 三、安全保障'),
    clause:
      '学籍信息管理要实行专人专机。学籍信息管理系统账户的密码要根据系统提示及时进行修改，防止泄密事件发生',
    settings: [],
    applies: '账号专人使用、设备登记，密码到期须修改，不向外泄露学生信息。',
    enforcedBy:
      '登录须账号和密码，设备首次登录即登记、可被管理员停用；连续输错密码锁定；密码到期须先修改才能继续同步；每个账号只能看到本单位（班级）的数据。',
    codeRefs: [
      'server/auth/accounts.ts',
      'renderer/src/features/sync/LoginForm.tsx',
      'renderer/src/sync/credentials.ts',
    ],
  },
];

export const RULE_TOPICS = {
  changes: '学籍与异动',
  verification: '常态化核验',
  inspection: '实地检查',
  management: '管理要求',
} as const;

export type RuleTopic = keyof typeof RULE_TOPICS;

const TOPIC_OF: Record<RuleId, RuleTopic> = {
  'R-ONE': 'changes',
  'R-TX-WINDOW': 'changes',
  'R-TX-GRADES': 'changes',
  'R-TX-4NO': 'changes',
  'R-FLEX': 'changes',
  'R-1WEEK': 'changes',
  'R-GRAD-JUNE': 'changes',
  'R-LEAVE-15': 'verification',
  'R-ABSENT-3M': 'verification',
  'R-LEAVE-EXEMPT': 'verification',
  'R-VERIFY-TERM': 'verification',
  'R-PART-TIME': 'verification',
  'R-MISS-2-4': 'verification',
  'R-ESCALATE': 'verification',
  'R-AID-STOP': 'verification',
  'R-APPEAL': 'verification',
  'R-INSP-2': 'inspection',
  'R-INSP-RECUSE': 'inspection',
  'R-INSP-TRACE': 'inspection',
  'R-REPORT-10': 'inspection',
  'R-PUBLISH-20': 'inspection',
  'R-DAILY': 'management',
  'R-WHO': 'management',
  'R-SECURE': 'management',
};

/** The topic a rule belongs to (the 政策规则 page groups by it). */
export function topicOf(id: RuleId): RuleTopic {
  return TOPIC_OF[id];
}

export const RULE_BY_ID: ReadonlyMap<RuleId, RuleDef> = new Map(RULES.map((r) => [r.id, r]));

export function ruleDef(id: RuleId): RuleDef {
  const r = RULE_BY_ID.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
}

/** "HN 四.1" (as DOMAIN.md and the code cite it) */
export function sourceShort(s: RuleSource): string {
  return `${s.doc} ${s.section}`;
}

/** "河南省常态化核验通知 四.1" (for people) */
export function sourceLabel(s: RuleSource): string {
  return `${REGULATIONS[s.doc].short} ${s.section}`;
}

/** "河南省常态化核验通知 · 四、核验结果应用 1. 相关资格的变更" */
export function sourceHeading(s: RuleSource): string {
  return `${REGULATIONS[s.doc].short} · ${s.heading}`;
}

/** "河南省教育厅办公室《…》（教办职成〔2022〕334号） 四、核验结果应用 1. 相关资格的变更" */
export function sourceLong(s: RuleSource): string {
  return `${REGULATIONS[s.doc].title} ${s.heading}`;
}
