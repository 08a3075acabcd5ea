// 检查情况记录表 (DOMAIN.md "Inspections" step 4; YQ 总述 二): filled and signed on site by at least two
// inspectors with enforcement IDs (R-INSP-2) and the school's head.
import { type Cell, type FormWriter, MM, SEAL_BOX, SIZE } from '../layout';
import type { FormDefinition } from '../render';
import { type Check, dateTime, FormDataError, list, object, oneOf, optional, text } from '../shape';
import { recordFields } from './common';

export const CHECK_FINDINGS = {
  conforming: '符合',
  nonConforming: '不符合',
  notApplicable: '不适用',
} as const;

/** The five vocational check items of YQ 中职 一, with their usual method, for a new record. */
export const VOCATIONAL_CHECK_ITEMS: readonly { item: string; method: string }[] = [
  { item: '学籍管理机构、制度和人员是否健全', method: '查阅文件、访谈' },
  {
    item: '学生档案是否完整（基本信息、思想品德评价、课程成绩、资助信息、奖惩材料、毕业生信息登记表六部分）',
    method: '抽查纸质档案',
  },
  {
    item: '新生学籍是否及时注册，转入、转出、留级、休学、退学、注销、复学、死亡等变动名册是否齐全',
    method: '系统核对、查阅名册',
  },
  { item: '是否存在重复注册学籍', method: '系统比对' },
  { item: '转学、转专业、留级、休学、注销、复学、退学等学籍异动是否合规', method: '抽查异动材料' },
];

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

const inspector = object('检查人员', {
  name: text('检查人员姓名', { max: 50 }),
  enforcementId: text('执法证号', { max: 40 }),
});

// R-INSP-2 (YQ 总述 二): an on-site inspection needs at least two inspectors with enforcement IDs.
const inspectors: Check<ReturnType<typeof inspector>[]> = Object.assign(
  (v: unknown, path: string) => {
    const all = list('检查人员', inspector)(v, path);
    if (all.length < 2)
      throw new FormDataError(
        path,
        '检查人员',
        `只有 ${all.length} 名；R-INSP-2 实地核查不少于两人（阳泉市实地核查工作指引 总述 二）：现场检查须有 2 名以上持执法证的检查人员`,
      );
    return all;
  },
  { label: '检查人员' },
);

/** A signature drawn on screen, as a JPEG data URL (a PNG's transparency would need decoding to print). */
const SIGNATURE_IMAGE = /^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/;
const signature = object('签名', {
  role: oneOf('签名人', { inspector: '检查人员', schoolHead: '被检查单位负责人' }),
  name: text('签名人姓名', { max: 50 }),
  image: text('签名图片', {
    max: 400_000,
    pattern: SIGNATURE_IMAGE,
    patternHint: '应为 JPEG 图片（data:image/jpeg;base64,…）',
  }),
  signedAt: optional(dateTime('签名时间')),
});

const shape = object('检查情况记录表', {
  ...recordFields,
  itemNo: text('事项编号', { max: 40 }),
  itemName: text('检查事项名称', { max: 100 }),
  school: object('被检查单位', {
    name: text('单位名称', { max: 60 }),
    // Optional: a school not yet registered with its code prints the record with the cell left blank.
    creditCode: optional(
      text('统一社会信用代码', {
        max: 18,
        pattern: CREDIT_CODE,
        patternHint: '应为 18 位统一社会信用代码',
      }),
    ),
    address: optional(text('地址', { max: 100 })),
    head: text('负责人', { max: 50 }),
  }),
  startTime: dateTime('检查开始时间'),
  endTime: optional(dateTime('检查结束时间')),
  inspectors,
  checks: list(
    '检查项目',
    object('检查项目', {
      item: text('检查项目', { max: 200 }),
      method: text('检查方式', { max: 60 }),
      finding: oneOf('核查情况', CHECK_FINDINGS),
      note: optional(text('说明', { max: 500 })),
    }),
    { min: 1, max: 40 },
  ),
  problems: text('发现的问题', { max: 3000 }),
  handling: text('处理意见及整改要求', { max: 3000 }),
  /** 抽查学生档案、重复注册比对 (on site, from the app) */
  sampling: optional(text('抽查与比对情况', { max: 3000 })),
  /** R-INSP-TRACE: the traces kept on site (photos, recordings, texts), listed */
  evidence: optional(
    list(
      '核查痕迹',
      object('核查痕迹', {
        item: text('检查项目', { max: 20 }),
        kind: text('类别', { max: 10 }),
        label: text('名称', { max: 200 }),
        capturedAt: dateTime('留存时间'),
      }),
      { max: 300 },
    ),
  ),
  /** the signatures drawn on screen; without them the cells are left for signing on paper */
  signatures: optional(list('签名', signature, { max: 11 })),
});

export type InspectionRecordData = ReturnType<typeof shape>;

const SIGN_HEIGHT = 13 * MM;
const SIGN_WIDTH = 38 * MM;

/**
 * The signature row with the signatures drawn on screen: per signer a line with the name and the day, the
 * drawn image under it; the school's head beside the seal box.
 */
function drawSignatures(w: FormWriter, d: InspectionRecordData, lw: number, vw: number): void {
  const [iw, sw] = w.cols([1, 1.4], vw) as [number, number];
  const pad = 2 * MM;
  const inspectors = (d.signatures ?? []).filter((s) => s.role === 'inspector');
  const head = (d.signatures ?? []).find((s) => s.role === 'schoolHead');
  const caption = (s: { name: string; signedAt?: string }) =>
    s.signedAt ? `${s.name}　${timeCn(s.signedAt).split(' ')[0]}` : s.name;
  const signerCell = (title: string, list: typeof inspectors, width: number, seal: boolean): Cell => {
    const column = width - 2 * pad - (seal ? SEAL_BOX + pad : 0);
    const titleHeight = w.textHeight(title, column, true);
    const captionHeight = (s: (typeof list)[number]) => w.textHeight(caption(s), column, false, SIZE.small);
    const blocks = list.map((s) => captionHeight(s) + 1 + SIGN_HEIGHT + 2 * MM);
    const content = pad + titleHeight + 2 + blocks.reduce((a, b) => a + b, 0) + pad;
    return {
      width,
      custom: {
        height: () => Math.max(content, seal ? SEAL_BOX + 2 * pad : 0),
        draw: (x, y) => {
          w.text(title, x + pad, y + pad, column, { bold: true });
          let ly = y + pad + titleHeight + 2;
          for (const s of list) {
            ly += w.text(caption(s), x + pad, ly, column, { size: SIZE.small }) + 1;
            w.doc.image(s.image, x + pad, ly, { fit: [Math.min(SIGN_WIDTH, column), SIGN_HEIGHT] });
            ly += SIGN_HEIGHT + 2 * MM;
          }
          if (seal) w.sealBox(x + width - pad - SEAL_BOX, y + pad);
        },
      },
    };
  };
  w.row([
    { text: '签字', width: lw, bold: true, align: 'center', shade: true },
    signerCell('检查人员（签字）', inspectors, iw, false),
    signerCell('被检查单位负责人（签字）', head ? [head] : [], sw, true),
  ]);
}

/** R-INSP-TRACE: the list of traces kept on site. */
function drawEvidence(w: FormWriter, evidence: NonNullable<InspectionRecordData['evidence']>): void {
  w.gap(3 * MM);
  w.line('核查痕迹清单（R-INSP-TRACE 留存核查痕迹，阳泉市实地核查工作指引 总述 二）', '', SIZE.small);
  w.table(
    [
      { title: '序号', weight: 0.6, align: 'center' },
      { title: '检查项目', weight: 1.2, align: 'center' },
      { title: '类别', weight: 1, align: 'center' },
      { title: '名称', weight: 4.4 },
      { title: '留存时间', weight: 2, align: 'center' },
    ],
    evidence.map((e, i) => [String(i + 1), e.item, e.kind, e.label, timeCn(e.capturedAt)]),
    { size: 9 },
  );
}

const timeCn = (t: string) =>
  `${t.slice(0, 4)}年${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日 ${t.slice(11)}`;

export const inspectionRecordForm: FormDefinition<InspectionRecordData> = {
  id: 'inspection-record',
  title: '检查情况记录表',
  orientation: 'portrait',
  shape,
  draw(w, d) {
    w.title(this.title);
    w.line(`事项编号：${d.itemNo}`, `记录编号：${d.recordId}`);
    const time = d.endTime
      ? `${timeCn(d.startTime)} 至 ${d.endTime.slice(0, 10) === d.startTime.slice(0, 10) ? d.endTime.slice(11) : timeCn(d.endTime)}`
      : timeCn(d.startTime);
    w.fields([['检查事项', d.itemName]], 1, 1.2, 4.8);
    // a school's full name and address take a whole row: a half-width cell wrapped a 14-character name
    w.fields([['被检查单位', d.school.name]], 1, 1.2, 4.8);
    w.fields(
      [
        ['统一社会信用代码', d.school.creditCode ?? ''],
        ['负责人', d.school.head],
      ],
      2,
      1.2,
      1.8,
    );
    w.fields([['地址', d.school.address ?? '']], 1, 1.2, 4.8);
    w.fields([['检查时间', time]], 1, 1.2, 4.8);
    // one row per inspector: side by side, an enforcement number broke in the middle
    w.fields(
      d.inspectors.map(
        (p, i) => [`检查人员${i + 1}`, `${p.name}　执法证号：${p.enforcementId}`] as [string, string],
      ),
      1,
      1.2,
      4.8,
    );
    w.gap(3 * MM);
    w.table(
      [
        { title: '序号', weight: 0.6, align: 'center' },
        { title: '检查项目', weight: 4 },
        { title: '检查方式', weight: 1.6, align: 'center' },
        { title: '核查情况', weight: 1.2, align: 'center' },
        { title: '说明', weight: 2.6 },
      ],
      d.checks.map((c, i) => [String(i + 1), c.item, c.method, CHECK_FINDINGS[c.finding], c.note ?? '']),
      { size: 9.5 },
    );
    if (d.sampling) w.paragraphBox('抽查与比对情况', d.sampling, 10 * MM, 1.2, 4.8);
    w.paragraphBox('发现的问题', d.problems, 14 * MM, 1.2, 4.8);
    w.paragraphBox('处理意见及整改要求', d.handling, 14 * MM, 1.2, 4.8);
    const [lw, vw] = w.cols([1.2, 4.8]) as [number, number];
    if (d.signatures && d.signatures.length > 0) {
      drawSignatures(w, d, lw, vw);
      if (d.evidence && d.evidence.length > 0) drawEvidence(w, d.evidence);
      return;
    }
    const [iw, sw] = w.cols([1, 1.4], vw) as [number, number];
    w.row([
      { text: '签字', width: lw, bold: true, align: 'center', shade: true },
      w.opinionCell(
        {
          title: '检查人员（签字）',
          opinion: d.inspectors.map((p) => `${p.name}：`).join('\n'),
          signerLabel: '记录人',
          seal: false,
        },
        iw,
      ),
      w.opinionCell(
        {
          title: '被检查单位负责人（签字）',
          opinion: `${d.school.head}：`,
          signerLabel: '单位（盖章）',
          seal: true,
        },
        sw,
      ),
    ]);
  },
};
