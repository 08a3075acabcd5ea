// Inspection checklists as versioned data (DOMAIN.md "Inspections"; issue 14 "Templates"). The two shipped
// templates follow the Yangquan guide (regulations/004_7e5e3d55eccfbf3d.txt, cited YQ): the five vocational
// check items (YQ 中职 一(一)–(五), their content from 中职 二 and the basis of 中职 三) and the K-12 items
// (YQ 中小学学籍管理 一–四). Every `basis` quote is the regulation's own text (a test finds each one in the
// file); titles are the regulation's headings, or for 四(一)–(三), which have none, its own phrases.
// The methods (方式) are ours: the guide names only its modes (实地核查, 书面检查, 网络监测) and what to
// read beforehand (YQ 总述 一); a bureau adapts them in its copy.
//
// A template is immutable once published: (id, version) names one content, and `templateRef` adds its
// hash, which a filled checklist keeps. A bureau copies a template (new id, version 1, owner) or revises its
// own (same id, next version); `derivedFrom` keeps the whole line of ancestors, nearest first.
import type { SchoolType } from '../domain/schemas';
import { canonicalJson } from '../forms/canonical';
import type { InputProblem, Parsed } from './draw-input';
import { sha256Hex } from './draw-random';

export const YQ_FILE = '004_7e5e3d55eccfbf3d.txt';

/** A passage of a regulation: where (section) and its exact words. */
export type TemplateQuote = { source: string; quote: string };

/**
 * Checks the app can help with from its own data (the on-site and self-check screens use them):
 * archiveSample — sample students' paper-archive parts; changeRoster — the change rosters and their dates;
 * duplicateCheck — the R-ONE index; changeRecords — the status and info changes with their proofs.
 */
export type DataAssist = 'archiveSample' | 'changeRoster' | 'duplicateCheck' | 'changeRecords';

export type TemplateItem = {
  /** stable through copies and revisions, so findings can be compared across templates */
  id: string;
  /** the regulation's numbering, e.g. （二） or 二（四） */
  no: string;
  /** the heading an item sits under (K-12: 二、学籍管理) */
  group?: string;
  title: string;
  /** 依据: the passages the item checks against */
  basis: TemplateQuote[];
  /** 检查方式, as printed in the record's column (≤ 60 characters) */
  method: string;
  /** 核查要点: what the inspector looks at */
  lookAt: string[];
  /** rule IDs whose checks show the school's data for this item */
  rules: string[];
  assists: DataAssist[];
};

export type TemplateRef = { id: string; version: number; hash: string };

export type ChecklistTemplate = {
  id: string;
  version: number;
  title: string;
  schoolType: SchoolType;
  /** the guide the items come from */
  source: { document: string; file: string };
  /** 检查依据 of the whole template */
  basis: TemplateQuote[];
  /** the org that made this version (a bureau's copy); null for the templates shipped with the app */
  owner: string | null;
  /** the versions this one was copied or revised from, nearest first */
  derivedFrom: TemplateRef[];
  /** what changed against the version it derives from */
  note?: string;
  items: TemplateItem[];
};

const VOCATIONAL_DOCUMENT = '阳泉市中等职业学校学生管理信息系统检查工作指引';
const K12_DOCUMENT = '阳泉市中小学学籍管理工作随机抽查指引';

export const VOCATIONAL_TEMPLATE: ChecklistTemplate = {
  id: 'yq-vocational',
  version: 1,
  title: '中等职业学校学籍管理随机抽查检查清单',
  schoolType: 'vocational',
  source: { document: VOCATIONAL_DOCUMENT, file: YQ_FILE },
  basis: [
    {
      source: 'YQ 中职 三',
      quote: '《教育部关于印发《中等职业学校学生学籍管理办法》的通知》(教职成[2010]7号)',
    },
  ],
  owner: null,
  derivedFrom: [],
  items: [
    {
      id: 'voc-1',
      no: '（一）',
      title: '是否建立健全学籍管理部门和相关制度，是否保障基本工作条件，落实管理责任的检查',
      basis: [
        {
          source: 'YQ 中职 二(一)',
          quote:
            '检查各中职学校是否成立专门的学籍管理部门，严格遵守《中等职业学校学生学籍管理办法》等相关制度，是否能够保障基本工作条件，有专人对学籍工作负责。',
        },
        {
          source: 'YQ 中职 三 · 教职成[2010]7号 第四十条',
          quote:
            '第四十条 省级教育行政部门和学校应当根据本办法结合实际需要制定具体实施细则,并报上级教育行政部门备案。',
        },
      ],
      method: '查阅资料、现场询问',
      lookAt: [
        '是否成立专门的学籍管理部门',
        '是否严格遵守《中等职业学校学生学籍管理办法》等相关制度，有无本校的具体实施细则',
        '是否能够保障基本工作条件',
        '是否有专人对学籍工作负责',
      ],
      rules: [],
      assists: [],
    },
    {
      id: 'voc-2',
      no: '（二）',
      title: '学生学籍档案的检查',
      basis: [
        {
          source: 'YQ 中职 二(二)',
          quote: '检查学校是否从学生入学之日起建立学生学籍档案，学生学籍档案内容包括：',
        },
      ],
      method: '抽查学生纸质档案',
      lookAt: [
        '是否从学生入学之日起建立学生学籍档案',
        '基本信息',
        '思想品德评价材料',
        '公共基础课程和专业技能课程成绩',
        '享受国家助学金和学费减免的信息',
        '在校期间的奖惩材料',
        '毕业生信息登记表',
      ],
      rules: [],
      assists: ['archiveSample'],
    },
    {
      id: 'voc-3',
      no: '（三）',
      title: '学籍信息是否及时输入中等职业学校学生信息管理系统的检查',
      basis: [
        {
          source: 'YQ 中职 二(三)',
          quote:
            '检查学校是否将新生基本信息,各年级学生变动名册(包括转入、转出、留级、休学、退学、注销、复学、死亡的学生等情况)及时输入中等职业学校学生信息管理系统,并报教育主管部门。',
        },
        {
          source: 'YQ 中职 三 · 教职成[2010]7号 第三十九条',
          quote:
            '第三十九条 各级教育行政部门和学校应当运用全国中等职业学校学生信息管理系统,及时准确填报、更新学生学籍信息。',
        },
      ],
      method: '系统核查、查阅变动名册',
      lookAt: [
        '新生基本信息是否及时输入系统',
        '各年级学生变动名册（转入、转出、留级、休学、退学、注销、复学、死亡）是否及时输入系统',
        '是否报教育主管部门',
      ],
      rules: [],
      assists: ['changeRoster'],
    },
    {
      id: 'voc-4',
      no: '（四）',
      title: '不得重复注册学籍的检查',
      basis: [
        {
          source: 'YQ 中职 二(四)',
          quote:
            '检查学校不得以虚假学生信息注册学生学籍,不得为同一学生以不同类型的高中阶段教育学校身份分别注册学籍,不得以不同类型职业学校身份分别向教育部门和人力资源社会保障部门申报学生学籍。',
        },
      ],
      method: '系统比对、抽查学生',
      lookAt: [
        '有无以虚假学生信息注册的学籍',
        '有无同一学生以不同类型的高中阶段教育学校身份分别注册学籍',
        '有无以不同类型职业学校身份分别向教育部门和人力资源社会保障部门申报学籍',
      ],
      rules: ['R-ONE'],
      assists: ['duplicateCheck'],
    },
    {
      id: 'voc-5',
      no: '（五）',
      title: '学籍变动与信息变更的检查',
      basis: [
        {
          source: 'YQ 中职 二(五)',
          quote:
            '检查学生学籍变动与信息变更是否合规,包括转学、转专业、留级、休学、注销、复学及退学。采用弹性学习形式的学生,原则上不予转学、转专业或休学。',
        },
      ],
      method: '抽查异动材料、系统核查',
      lookAt: [
        '转学、转专业、留级、休学、注销、复学及退学是否合规',
        '学生信息变更是否合规',
        '采用弹性学习形式的学生有无转学、转专业或休学',
      ],
      rules: ['R-FLEX'],
      assists: ['changeRecords'],
    },
  ],
};

const K12_GROUPS = { one: '一、学校管理', two: '二、学籍管理', three: '三、安全保障', four: '四、其他要求' };

export const K12_TEMPLATE: ChecklistTemplate = {
  id: 'yq-k12',
  version: 1,
  title: '中小学学籍管理工作随机抽查检查清单',
  schoolType: 'k12',
  source: { document: K12_DOCUMENT, file: YQ_FILE },
  basis: [
    {
      source: 'YQ 总述',
      quote: '本工作指引适用于《阳泉市教育局随机抽查事项清单》所列各抽查事项的实地核查。',
    },
  ],
  owner: null,
  derivedFrom: [],
  items: [
    {
      id: 'k12-1',
      no: '一',
      group: K12_GROUPS.one,
      title: '学校管理',
      basis: [
        {
          source: 'YQ 中小学 一',
          quote:
            '学校信息发生变更时要及时进行变更；每学期开学初要在电子系统里进行学期学年设置。并按照规定完善纸质档案。',
        },
      ],
      method: '系统核查、抽查学生纸质档案',
      lookAt: [
        '学校信息发生变更时是否及时变更',
        '每学期开学初是否在电子系统里进行学期学年设置',
        '是否按照规定完善纸质档案',
      ],
      rules: [],
      assists: ['archiveSample'],
    },
    {
      id: 'k12-2-1',
      no: '二（一）',
      group: K12_GROUPS.two,
      title: '学籍注册',
      basis: [
        {
          source: 'YQ 中小学 二(一)',
          quote:
            '小学一年级首次进行注册，采集学生基本信息，国家教育部分配学号，学籍号实行终身制。普通高中首次注册按照省厅规定分配学籍辅号。',
        },
      ],
      method: '系统核查',
      lookAt: [
        '小学一年级是否首次进行注册并采集学生基本信息',
        '学籍号是否终身不变',
        '普通高中首次注册是否按照省厅规定分配学籍辅号',
      ],
      rules: [],
      assists: [],
    },
    {
      id: 'k12-2-2',
      no: '二（二）',
      group: K12_GROUPS.two,
      title: '招生入学',
      basis: [
        {
          source: 'YQ 中小学 二(二)',
          quote:
            '县（区）教育局每年6月初要及时为每所学校配置招生计划、班额、轨制、招生范围等信息，提前做好招生准备工作。',
        },
        {
          source: 'YQ 中小学 二(二)',
          quote:
            '小学由学校按照主管部门下达的招生计划、班额设置、划定的招生区域进行自主招生。招生结果经主管部门审核后完成。',
        },
        {
          source: 'YQ 中小学 二(二)',
          quote:
            '初中和高中按照县（区）、市教育部门下达的招生结果，发起招生申请，经县（区）、市教育部门审核后完成。注册完成后，更新学生照片。学籍管理实行“籍随人走”。',
        },
      ],
      method: '系统核查、查阅资料',
      lookAt: [
        '是否按主管部门下达的招生计划、班额设置和招生区域招生',
        '招生结果是否经主管部门审核',
        '初中和高中是否按下达的招生结果发起招生申请并经审核',
        '注册完成后是否更新学生照片',
      ],
      rules: [],
      assists: [],
    },
    {
      id: 'k12-2-3',
      no: '二（三）',
      group: K12_GROUPS.two,
      title: '学生毕业',
      basis: [
        {
          source: 'YQ 中小学 二(三)',
          quote:
            '学生毕业，由学校发起。义务教育阶段毕业由学校独立操作，高中毕业生毕业由学校发起经市教育局审核后完成毕业。',
        },
        {
          source: 'YQ 中小学 二(三)',
          quote: '每年6月底前，必须完成毕业生学籍信息，包括：学习简历、和毕业评语，以及毕业生审核。',
        },
      ],
      method: '系统核查',
      lookAt: [
        '高中毕业生毕业是否经市教育局审核',
        '每年6月底前是否完成毕业生的学习简历、毕业评语和毕业生审核',
      ],
      rules: ['R-GRAD-JUNE'],
      assists: [],
    },
    {
      id: 'k12-2-4',
      no: '二（四）',
      group: K12_GROUPS.two,
      title: '学籍异动',
      basis: [
        {
          source: 'YQ 中小学 二(四)',
          quote:
            '转学流程：由转入学校在网上发起转学申请，上传佐证材料（转学申请、户籍迁移证明、家长工作调动证明等），经转入学校主管教育局审核、转出学校审核、转出学校主管教育局审核，全部同意之后完成转学。转学办理时间为每学期开学前后一个月之内。',
        },
        {
          source: 'YQ 中小学 二(四)',
          quote:
            '休学、复学、死亡、出国、高中生退学等填写相关表格后，在电子系统里上传佐证材料（签字盖章后的审批表、证明材料等），到主管教育局办理有关手续，办理期限为学生提出申请后一周内完成。',
        },
        {
          source: 'YQ 中小学 二(四)',
          quote:
            '休学学生仍然在“在校生”库里，办理完毕后要作好登记；复学生如果退一个年级，除作好登记外，普通高中学生要相应变更学籍辅号。',
        },
      ],
      method: '抽查异动材料、系统核查',
      lookAt: [
        '转学是否由转入学校发起，并上传转学申请、户籍迁移证明、家长工作调动证明等佐证材料',
        '转学是否经转入学校主管教育局、转出学校、转出学校主管教育局审核同意',
        '转学是否在每学期开学前后一个月之内办理',
        '休学、复学、死亡、出国、高中生退学是否上传签字盖章后的审批表和证明材料，并在申请后一周内办完',
        '休学学生是否仍在“在校生”库里并作好登记',
        '退一个年级的普通高中复学生是否变更学籍辅号',
      ],
      rules: ['R-TX-WINDOW', 'R-1WEEK'],
      assists: ['changeRecords'],
    },
    {
      id: 'k12-2-5',
      no: '二（五）',
      group: K12_GROUPS.two,
      title: '数据维护',
      basis: [
        {
          source: 'YQ 中小学 二(五)',
          quote:
            '学生基本信息、奖励记录、惩罚记录等发生变更后，在电子系统里进行登记、修改、记录，到主管教育局审批，办理期限为学生提交申请后一周内完成。学生基本信息变更要填写《阳泉市中小學生基本信息变更申请表》，同时将纸质证明材料保存到学生纸质档案，确保信息的准确、真实和完善。',
        },
      ],
      method: '系统核查、抽查变更材料',
      lookAt: [
        '学生基本信息、奖励记录、惩罚记录变更后是否在电子系统里登记并经主管教育局审批',
        '是否在学生提交申请后一周内办完',
        '基本信息变更是否填写变更申请表，纸质证明材料是否保存到学生纸质档案',
      ],
      rules: ['R-1WEEK'],
      assists: ['changeRecords'],
    },
    {
      id: 'k12-3',
      no: '三',
      group: K12_GROUPS.three,
      title: '安全保障',
      basis: [
        {
          source: 'YQ 中小学 三',
          quote:
            '学籍信息管理要实行专人专机。学籍信息管理系统账户的密码要根据系统提示及时进行修改，防止泄密事件发生。各级管理人员要遵守保密条例，不得私自将学生学籍基本信息向外界泄露，否则将追究其刑事责任。',
        },
      ],
      method: '实地查看、现场询问',
      lookAt: [
        '是否实行专人专机',
        '系统账户的密码是否根据系统提示及时修改',
        '有无私自将学生学籍基本信息向外界泄露',
      ],
      rules: ['R-SECURE'],
      assists: [],
    },
    {
      id: 'k12-4-1',
      no: '四（一）',
      group: K12_GROUPS.four,
      title: '学籍员每天登陆系统，严格执行“一人一籍、人籍一致、籍随人走”的原则',
      basis: [
        {
          source: 'YQ 中小学 四(一)',
          quote:
            '学籍员须每天登陆系统，及时掌握和处理相关学籍变动等业务。学籍管理严格执行“一人一籍、人籍一致、籍随人走”的原则，学校不得接收未按规定办理转学手续的学生入学，不得接收借读生，不得虚挂学籍，不得为实际未在校就读的学生建立学籍，不得将已离校学生的学籍信息修改后供他人使用，不得在问题学籍处理中为不在校学生提供虚假佐证或变更操作，对已离校学生需按照规定及时进行学籍异动处理。',
        },
      ],
      method: '系统比对、现场询问',
      lookAt: [
        '学籍员是否每天登陆系统，及时处理学籍变动等业务',
        '有无接收未按规定办理转学手续的学生入学、接收借读生',
        '有无虚挂学籍，有无为实际未在校就读的学生建立学籍',
        '有无将已离校学生的学籍信息修改后供他人使用',
        '对已离校学生是否及时进行学籍异动处理',
      ],
      rules: ['R-DAILY', 'R-ONE'],
      assists: ['duplicateCheck'],
    },
    {
      id: 'k12-4-2',
      no: '四（二）',
      group: K12_GROUPS.four,
      title: '不得随意转学，普通高中执行“四不转”原则',
      basis: [
        {
          source: 'YQ 中小学 四(二)',
          quote:
            '学生在接受义务教育和普通高中教育期间，不得随意转学，本市内中小学起始年级与毕业年级不得转学，原则上学期中不得转学，各县（区）学籍管理员要严格履行审核责任，不得为不符合条件的学生办理转学手续。',
        },
        {
          source: 'YQ 中小学 四(二)',
          quote:
            '我市普通高中转学保留纸质手续，并执行“四不转”原则：民办高中不能转入公办高中，一般普通高中不能转入省级示范高中，同一招生区域普通高中之间不能转学，普通高中不得接收中等职业教育学校（包括普通中专学校、职业高中学校、技工学校学校和成人中专学校）学生转入。',
        },
      ],
      method: '抽查异动材料',
      lookAt: [
        '起始年级与毕业年级有无转学',
        '学期中有无转学',
        '普通高中转学是否保留纸质手续',
        '有无民办高中转入公办高中、一般普通高中转入省级示范高中、同一招生区域普通高中之间转学、接收中等职业教育学校学生转入',
      ],
      rules: ['R-TX-GRADES', 'R-TX-4NO', 'R-TX-WINDOW'],
      assists: ['changeRecords'],
    },
    {
      id: 'k12-4-3',
      no: '四（三）',
      group: K12_GROUPS.four,
      title: '坚持“谁采集谁负责、谁录入谁负责、谁审核谁负责”的原则',
      basis: [
        {
          source: 'YQ 中小学 四(三)',
          quote: '坚持“谁采集谁负责、谁录入谁负责、谁审核谁负责”的原则，牢记时间节点，加快待办业务核办进度',
        },
      ],
      method: '系统核查、查阅资料',
      lookAt: ['学籍信息的采集、录入、审核人员是否有记录、可追溯', '待办业务是否按时间节点办理'],
      rules: ['R-WHO'],
      assists: [],
    },
  ],
};

export const BUILT_IN_TEMPLATES: readonly ChecklistTemplate[] = [VOCATIONAL_TEMPLATE, K12_TEMPLATE];

/** The shipped template for a school type. */
export function builtInTemplateFor(schoolType: SchoolType): ChecklistTemplate {
  return schoolType === 'vocational' ? VOCATIONAL_TEMPLATE : K12_TEMPLATE;
}

/** (id, version) and the SHA-256 of the template's canonical JSON: which content a checklist was filled on. */
export function templateRef(t: ChecklistTemplate): TemplateRef {
  return { id: t.id, version: t.version, hash: sha256Hex(canonicalJson(t)) };
}

/** The template a reference names, when its content is exactly the one referenced. */
export function findTemplate(
  templates: readonly ChecklistTemplate[],
  ref: TemplateRef,
): ChecklistTemplate | undefined {
  return templates.find(
    (t) => t.id === ref.id && t.version === ref.version && templateRef(t).hash === ref.hash,
  );
}

const ID_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const RULE_RE = /^R-[A-Z0-9]+(-[A-Z0-9]+)*$/;
const ASSISTS: readonly DataAssist[] = ['archiveSample', 'changeRoster', 'duplicateCheck', 'changeRecords'];
export const TEMPLATE_LIMITS = { items: 40, title: 100, itemTitle: 200, method: 60, lookAt: 20, text: 2000 };

function text(value: unknown, field: string, what: string, max: number, problems: InputProblem[]): void {
  if (typeof value !== 'string' || value.trim() === '') problems.push({ field, message: `${what}不能为空` });
  else if (value.length > max)
    problems.push({ field, message: `${what}不能超过 ${max} 个字（现有 ${value.length} 个）` });
}

/** The problems of a template, each naming the field and, for an item, its number and title. */
export function templateProblems(t: ChecklistTemplate): InputProblem[] {
  const problems: InputProblem[] = [];
  if (!ID_RE.test(t.id))
    problems.push({
      field: 'id',
      message: `模板编号“${t.id}”只能由小写字母、数字和 . _ - 组成（2 到 64 个字符）`,
    });
  if (!Number.isInteger(t.version) || t.version < 1)
    problems.push({ field: 'version', message: `模板版本应为正整数，现为 ${t.version}` });
  text(t.title, 'title', '模板名称', TEMPLATE_LIMITS.title, problems);
  if (t.schoolType !== 'vocational' && t.schoolType !== 'k12')
    problems.push({ field: 'schoolType', message: '适用学校类型只能是中职或中小学' });
  if (t.derivedFrom.some((r) => r.id === t.id && r.version >= t.version))
    problems.push({
      field: 'derivedFrom',
      message: `来源中有本模板同一或更新的版本（${t.id} 第 ${t.version} 版）`,
    });
  if (t.items.length === 0) problems.push({ field: 'items', message: '模板至少要有一个检查项目' });
  if (t.items.length > TEMPLATE_LIMITS.items)
    problems.push({
      field: 'items',
      message: `检查项目最多 ${TEMPLATE_LIMITS.items} 个（现有 ${t.items.length} 个）`,
    });
  const seen = new Map<string, number>();
  t.items.forEach((item, i) => {
    const short = item.title && item.title.length > 20 ? `${item.title.slice(0, 20)}…` : item.title;
    const at = `第 ${i + 1} 个检查项目${short ? `“${short}”` : ''}`;
    const f = `items[${i}]`;
    if (!ID_RE.test(item.id))
      problems.push({
        field: `${f}.id`,
        message: `${at}的编号“${item.id}”只能由小写字母、数字和 . _ - 组成`,
      });
    const j = seen.get(item.id);
    if (j !== undefined)
      problems.push({ field: `${f}.id`, message: `${at}的编号“${item.id}”与第 ${j + 1} 个检查项目重复` });
    else seen.set(item.id, i);
    text(item.no, `${f}.no`, `${at}的序号`, 20, problems);
    text(item.title, `${f}.title`, `${at}的名称`, TEMPLATE_LIMITS.itemTitle, problems);
    text(item.method, `${f}.method`, `${at}的检查方式`, TEMPLATE_LIMITS.method, problems);
    if (item.basis.length === 0)
      problems.push({ field: `${f}.basis`, message: `${at}没有检查依据（依据的文件和条文）` });
    item.basis.forEach((b, k) => {
      text(b.source, `${f}.basis[${k}].source`, `${at}第 ${k + 1} 条依据的出处`, 200, problems);
      text(
        b.quote,
        `${f}.basis[${k}].quote`,
        `${at}第 ${k + 1} 条依据的条文`,
        TEMPLATE_LIMITS.text,
        problems,
      );
    });
    if (item.lookAt.length > TEMPLATE_LIMITS.lookAt)
      problems.push({ field: `${f}.lookAt`, message: `${at}的核查要点最多 ${TEMPLATE_LIMITS.lookAt} 条` });
    item.lookAt.forEach((l, k) => {
      text(l, `${f}.lookAt[${k}]`, `${at}第 ${k + 1} 条核查要点`, TEMPLATE_LIMITS.itemTitle, problems);
    });
    for (const r of item.rules)
      if (!RULE_RE.test(r))
        problems.push({ field: `${f}.rules`, message: `${at}引用的规则编号“${r}”格式不对` });
    for (const a of item.assists)
      if (!ASSISTS.includes(a))
        problems.push({ field: `${f}.assists`, message: `${at}的数据核查“${a}”不存在` });
  });
  return problems;
}

function checked(t: ChecklistTemplate): Parsed<ChecklistTemplate> {
  const problems = templateProblems(t);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: t };
}

const cloneItems = (items: readonly TemplateItem[]): TemplateItem[] =>
  items.map((i) => ({
    ...i,
    basis: i.basis.map((b) => ({ ...b })),
    lookAt: [...i.lookAt],
    rules: [...i.rules],
    assists: [...i.assists],
  }));

/**
 * A bureau's own copy of a template: a new id, version 1, the bureau as owner, the same items (their ids
 * kept), and the base (with its own ancestors) as provenance.
 */
export function copyTemplate(
  base: ChecklistTemplate,
  copy: { id: string; owner: string; title?: string; note?: string },
): Parsed<ChecklistTemplate> {
  if (copy.id === base.id || base.derivedFrom.some((r) => r.id === copy.id))
    return {
      ok: false,
      problems: [
        {
          field: 'id',
          message: `新模板不能沿用编号“${copy.id}”：它已是来源模板的编号，修改自己的模板请出新版本`,
        },
      ],
    };
  const t: ChecklistTemplate = {
    id: copy.id,
    version: 1,
    title: copy.title ?? base.title,
    schoolType: base.schoolType,
    source: { ...base.source },
    basis: base.basis.map((b) => ({ ...b })),
    owner: copy.owner,
    derivedFrom: [templateRef(base), ...base.derivedFrom],
    ...(copy.note ? { note: copy.note } : {}),
    items: cloneItems(base.items),
  };
  return checked(t);
}

/**
 * The next version of a template with changed title, basis or items, made by its owner (the shipped ones
 * are copied, not revised); the previous version joins the provenance.
 */
export function reviseTemplate(
  t: ChecklistTemplate,
  changes: { title?: string; basis?: TemplateQuote[]; items?: TemplateItem[]; note?: string },
  by: string,
): Parsed<ChecklistTemplate> {
  if (t.owner !== by)
    return {
      ok: false,
      problems: [
        {
          field: 'owner',
          message: t.owner
            ? `模板“${t.title}”属于其他单位，只能复制后修改`
            : `模板“${t.title}”是软件自带的模板，请复制为本单位的模板后再修改`,
        },
      ],
    };
  const { note: _previousNote, ...rest } = t;
  const next: ChecklistTemplate = {
    ...rest,
    version: t.version + 1,
    title: changes.title ?? t.title,
    basis: (changes.basis ?? t.basis).map((b) => ({ ...b })),
    derivedFrom: [templateRef(t), ...t.derivedFrom],
    ...(changes.note ? { note: changes.note } : {}),
    items: cloneItems(changes.items ?? t.items),
  };
  return checked(next);
}
