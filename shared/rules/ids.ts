// Every rule ID of DOMAIN.md's table with its short Chinese title. The titles quote the regulation's
// numbers; the numbers a rule applies are settings (settings.ts) and appear in its messages.
export const RULE_TITLES = {
  'R-ONE': '一人一籍',
  'R-LEAVE-15': '每学期累计请假不超过 15 天',
  'R-ABSENT-3M': '未请假缺勤超过 3 个月按退学处理',
  'R-LEAVE-EXEMPT': '请假期间不参与核验',
  'R-VERIFY-TERM': '每学期到校注册时至少核验 1 次',
  'R-PART-TIME': '非全日制学生不参加常态化核验',
  'R-MISS-2-4': '连续 2 次或累计 4 次未核验须处理',
  'R-ESCALATE': '核验异动后再次异动须报省教育厅批准',
  'R-AID-STOP': '撤回未发放的资助和免学费',
  'R-APPEAL': '申诉通过恢复原学籍状态',
  'R-TX-WINDOW': '转学只在开学前后一个月内办理',
  'R-TX-GRADES': '起始年级和毕业年级不得转学',
  'R-TX-4NO': '普通高中转学“四不转”',
  'R-FLEX': '弹性学习学生原则上不转学、转专业、休学',
  'R-1WEEK': '异动和信息变更一周内办结',
  'R-GRAD-JUNE': '毕业生学籍信息 6 月底前完成',
  'R-INSP-2': '实地核查不少于两人并出示执法证件',
  'R-INSP-RECUSE': '有利害关系的检查人员回避',
  'R-INSP-TRACE': '留存核查痕迹',
  'R-REPORT-10': '检查结束后 10 个工作日内完成检查报告',
  'R-PUBLISH-20': '20 个工作日内公开抽查结果',
  'R-DAILY': '学籍员每天登录处理待办',
  'R-WHO': '谁采集、谁录入、谁审核谁负责',
  'R-SECURE': '专人专机、及时改密、防止泄密',
} as const;

export type RuleId = keyof typeof RULE_TITLES;

export const RULE_IDS = Object.keys(RULE_TITLES) as RuleId[];

export function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.hasOwn(RULE_TITLES, value);
}

/** "R-TX-4NO 普通高中转学“四不转”" — how a rule is named next to its Chinese meaning. */
export function ruleName(id: RuleId): string {
  return `${id} ${RULE_TITLES[id]}`;
}

/** The rule IDs a message mentions, in order (R-ONE in an import error, R-SECURE in a refusal). */
export function ruleIdsIn(text: string): RuleId[] {
  const out: RuleId[] = [];
  for (const m of text.matchAll(/R-[A-Z0-9]+(?:-[A-Z0-9]+)*/g))
    if (isRuleId(m[0]) && !out.includes(m[0])) out.push(m[0]);
  return out;
}
