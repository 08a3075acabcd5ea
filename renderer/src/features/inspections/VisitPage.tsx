// 实地核查: one inspection. Its drawn inspectors fill it on site, also with the network off — every change
// is a command written to the local database at once (nothing is lost when the laptop sleeps or the app is
// closed): 签到 with the 执法证号 and no conflict (R-INSP-2, R-INSP-RECUSE), each item 符合 / 不符合 / 不适用 with
// notes and evidence (photo from the camera or a file, a recording, a text: R-INSP-TRACE), the sample of
// students and their folders, the duplicate-registration check from the visit pack, the record's text and
// the signatures drawn on screen; then the 检查情况记录表 is printed. The bureau and the school read the
// same record with its evidence; the report (R-REPORT-10, R-PUBLISH-20) and the follow-ups are below.
import { DownloadOutlined, FileTextOutlined, PictureOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Input,
  InputNumber,
  Radio,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { archivePartsFor } from '../../../../shared/domain/archive';
import type { ArchiveItemState } from '../../../../shared/domain/student';
import type { EvidenceRef } from '../../../../shared/inspections/checklist';
import { lookupIdNumber, lookupResultText, type VisitPack } from '../../../../shared/inspections/pack';
import { recordFormData, reportFormData, visitDeadlines } from '../../../../shared/inspections/print';
import {
  FOLLOW_UP_STATUS_LABELS,
  type FollowUpDoc,
  INSPECTION_STATUS_LABELS,
  type InspectionDoc,
  REPORT_STATUS_LABELS,
  type ReportDoc,
  reportIdOf,
} from '../../../../shared/inspections/records';
import {
  archiveDifferences,
  FINDING_LABELS,
  SCHOOL_HEAD,
  suggestedProblems,
  uncheckedSampleParts,
  visitProblems,
} from '../../../../shared/inspections/visit';
import { ruleSettingsOf } from '../../../../shared/rules/settings';
import { useAuthUser, useDesk } from '../../app/session';
import { getBlob } from '../../db/attachment-store';
import { send } from '../../db/commands';
import type { VisitStep } from '../../db/commands/inspections';
import { syncService } from '../../sync/service';
import { useSyncStatus } from '../../sync/use-sync';
import { type PrintJob, PrintPreview } from '../print/PrintPreview';
import { renderInWorker } from '../print/print-client';
import { useRulesState } from '../rules/use-rules';
import { CameraButton, RecorderButton, SignaturePad } from './capture';
import {
  refusalText,
  useEvidenceUrl,
  useInspectionRecord,
  useInspectionRecords,
  useVisitPack,
} from './use-inspections';
import './inspections.css';
import { chinaDate, chinaTime } from '../../../../shared/calendar/china';

const RECORD_TITLE = '检查情况记录表';
const REPORT_TITLE = '检查报告';
const STATE_LABELS: Record<ArchiveItemState, string> = { present: '有', missing: '缺', notDue: '未到期' };

function useStep(id: string) {
  const { message } = App.useApp();
  return async (step: VisitStep) => {
    const why = refusalText(await send('inspection-step', { id, step }));
    if (why) message.error(why);
    return why === null;
  };
}

/** One trace: a photo shown small, a recording played, a text quoted. */
function Evidence({ e }: { e: EvidenceRef }) {
  const sha = e.kind === 'text' ? undefined : e.sha256;
  const { url, error } = useEvidenceUrl(sha);
  if (e.kind === 'text')
    return (
      <div className="xj-insp-evidence" data-testid="evidence-text">
        <FileTextOutlined /> {e.text}
      </div>
    );
  return (
    <div className="xj-insp-evidence" data-testid={`evidence-${e.kind}`} data-sha={e.sha256}>
      {e.kind === 'photo' && url ? <img src={url} alt={e.name} className="xj-insp-thumb" /> : null}
      {/* biome-ignore lint/a11y/useMediaCaption: an on-site recording has no captions */}
      {e.kind === 'audio' && url ? <audio src={url} controls className="xj-insp-audio" /> : null}
      <span className="xj-insp-evidence-name">
        {e.kind === 'photo' ? <PictureOutlined /> : null} {e.name}（{Math.max(1, Math.round(e.size / 1024))}{' '}
        KB，
        {chinaTime(e.capturedAt)}）
      </span>
      {error ? <Typography.Text type="secondary"> {error}</Typography.Text> : null}
    </div>
  );
}

/**
 * R-REPORT-10 / R-PUBLISH-20 (YQ 总述 三): the report within 10 working days of the check's end, the results
 * public within 20 — counted on this machine's working-day calendar (holidays and make-up days), late flagged.
 */
function Deadlines({ doc, report }: { doc: InspectionDoc; report: ReportDoc | undefined }) {
  const rules = useRulesState();
  const due = visitDeadlines(doc, rules.calendar, ruleSettingsOf(rules.effective));
  if (!due) return null;
  const today = chinaDate(new Date().toISOString());
  const tag = (label: string, day: string, done: string | undefined, testId: string) => {
    const late = done ? done > day : today > day;
    return (
      <Tag color={done ? (late ? 'orange' : 'green') : late ? 'red' : 'blue'} data-testid={testId}>
        {label} {day} 前{done ? `（${done} 已完成${late ? '，逾期' : ''}）` : late ? '（已逾期）' : ''}
      </Tag>
    );
  };
  return (
    <Space size={4}>
      {tag(
        '检查报告',
        due.report.value,
        report?.issuedAt ? chinaDate(report.issuedAt) : undefined,
        'due-report',
      )}
      {tag('结果公开', due.publish.value, doc.publication?.on, 'due-publish')}
    </Space>
  );
}

function PresenceTab({
  doc,
  editable,
  pack,
}: {
  doc: InspectionDoc;
  editable: boolean;
  pack: VisitPack | null;
}) {
  const step = useStep(doc.id);
  const { message } = App.useApp();
  const status = useSyncStatus();
  const [ids, setIds] = useState<Record<string, string>>({});
  const [free, setFree] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const download = async () => {
    const api = syncService.current?.api;
    if (!api) return message.error('下载检查资料须登录省级平台');
    setBusy(true);
    try {
      const p = await api.post<VisitPack>(`/api/inspections/${doc.id}/pack`, {});
      await send('inspection-pack-keep', { pack: p });
      message.success(`已下载检查资料：${p.students.length} 名在籍学生`);
    } catch (e) {
      message.error(`下载失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Card size="small" className="xj-insp-card" title="检查资料（检查前下载，现场离线使用）">
        {pack ? (
          <Descriptions size="small" column={4} data-testid="pack-summary">
            <Descriptions.Item label="下载时间">{chinaTime(pack.builtAt)}</Descriptions.Item>
            <Descriptions.Item label="在籍学生">{pack.summary.total} 人</Descriptions.Item>
            <Descriptions.Item label="学籍变动">{pack.changes.length} 条</Descriptions.Item>
            <Descriptions.Item label="证件号无效">{pack.duplicates.invalid.length} 人</Descriptions.Item>
            <Descriptions.Item label="服务器登记">
              <span data-testid="pack-stamp">
                {doc.packs?.length
                  ? `已下发 ${doc.packs.length} 次，最近 ${chinaTime(doc.packs[doc.packs.length - 1]?.builtAt ?? '')}`
                  : '同步中…'}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="各年级" span={2}>
              {pack.summary.byGrade.map((g) => `${g.grade} ${g.count}`).join('、')}
            </Descriptions.Item>
            <Descriptions.Item label="档案不全" span={2}>
              {
                pack.students.filter((st) => Object.values(st.archive).some((a) => a.state === 'missing'))
                  .length
              }{' '}
              人
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Typography.Text type="secondary">
            本机还没有本次检查的检查资料（学校概况、花名册摘要、学籍变动、档案完整情况、重复注册索引）。
          </Typography.Text>
        )}
        {editable ? (
          <Button
            icon={<DownloadOutlined />}
            loading={busy}
            disabled={!status.online}
            onClick={download}
            data-testid="pack-download"
            className="xj-insp-gap"
          >
            {pack ? '重新下载' : '下载检查资料'}
          </Button>
        ) : null}
      </Card>
      <Card size="small" className="xj-insp-card" title="检查人员签到（出示执法证件，确认无利害关系）">
        <Table
          size="small"
          rowKey="userId"
          pagination={false}
          dataSource={doc.inspectors}
          columns={[
            { title: '检查人员', dataIndex: 'name', width: 100 },
            { title: '抽取名单上的执法证号', dataIndex: 'enforcementId', width: 180 },
            {
              title: '出示的执法证号',
              render: (_, i) =>
                doc.present?.[i.userId] ? (
                  doc.present[i.userId]?.enforcementId
                ) : (
                  <Input
                    size="small"
                    disabled={!editable}
                    data-testid={`presence-id-${i.userId}`}
                    value={ids[i.userId] ?? ''}
                    onChange={(e) => setIds({ ...ids, [i.userId]: e.target.value })}
                  />
                ),
            },
            {
              title: '利害关系',
              width: 200,
              render: (_, i) =>
                doc.present?.[i.userId] ? (
                  '已确认无利害关系'
                ) : (
                  <Checkbox
                    disabled={!editable}
                    data-testid={`presence-free-${i.userId}`}
                    checked={free[i.userId] ?? false}
                    onChange={(e) => setFree({ ...free, [i.userId]: e.target.checked })}
                  >
                    本人与该校无利害关系
                  </Checkbox>
                ),
            },
            {
              title: '',
              width: 150,
              render: (_, i) =>
                doc.present?.[i.userId] ? (
                  <Tag color="green">
                    已签到 {chinaTime(doc.present[i.userId]?.confirmedAt ?? '').slice(11)}
                  </Tag>
                ) : (
                  <Button
                    size="small"
                    disabled={!editable}
                    data-testid={`presence-confirm-${i.userId}`}
                    onClick={() =>
                      step({
                        kind: 'presence',
                        userId: i.userId,
                        enforcementId: ids[i.userId] ?? '',
                        noConflict: free[i.userId] ?? false,
                      })
                    }
                  >
                    签到
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}

function ItemCard({ doc, itemId, editable }: { doc: InspectionDoc; itemId: string; editable: boolean }) {
  const item = doc.template.items.find((i) => i.id === itemId);
  const check = doc.checks?.[itemId];
  const step = useStep(doc.id);
  const { message } = App.useApp();
  const [notes, setNotes] = useState(check?.notes ?? '');
  const [text, setText] = useState('');
  useEffect(() => setNotes(check?.notes ?? ''), [check?.notes]);
  const file = useRef<HTMLInputElement>(null);
  if (!item) return null;
  const evidence = async (kind: 'photo' | 'audio', name: string, mime: string, bytes: ArrayBuffer) => {
    const why = refusalText(
      await send('inspection-evidence', { id: doc.id, itemId, kind, name, mime, bytes }),
    );
    if (why) message.error(why);
    else message.success(`已留存：${name}`);
  };
  // file names carry the Beijing time, as the record shows it
  const stamp = () => chinaTime(new Date().toISOString()).replace(/[-: ]/g, '');
  return (
    <Card
      size="small"
      className="xj-insp-item"
      data-testid={`item-${item.id}`}
      title={`${item.no} ${item.title}`}
      extra={<Typography.Text type="secondary">{item.method}</Typography.Text>}
    >
      <Typography.Paragraph
        className="xj-insp-basis"
        type="secondary"
        ellipsis={{ rows: 2, expandable: true, symbol: '展开' }}
      >
        依据：{item.basis.map((b) => `${b.source}“${b.quote}”`).join('；')}；查看：{item.lookAt.join('、')}
      </Typography.Paragraph>
      <Space wrap>
        <Radio.Group
          disabled={!editable}
          value={check?.finding ?? null}
          onChange={(e) => step({ kind: 'finding', itemId, finding: e.target.value })}
          data-testid={`finding-${item.id}`}
        >
          {Object.entries(FINDING_LABELS).map(([k, label]) => (
            <Radio.Button key={k} value={k}>
              {label}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Input
          className="xj-insp-notes"
          disabled={!editable}
          placeholder={check?.finding === 'nonConforming' ? '不符合的情况（必填）' : '情况说明'}
          value={notes}
          maxLength={500}
          data-testid={`notes-${item.id}`}
          onChange={(e) => setNotes(e.target.value)}
          onBlur={() => notes !== (check?.notes ?? '') && step({ kind: 'finding', itemId, notes })}
        />
      </Space>
      {editable ? (
        <Space wrap className="xj-insp-gap">
          <CameraButton
            testId={`camera-${item.id}`}
            onPhoto={(b) => evidence('photo', `现场照片-${item.no}-${stamp()}.jpg`, 'image/jpeg', b)}
          />
          <Button size="small" icon={<PictureOutlined />} onClick={() => file.current?.click()}>
            选择照片
          </Button>
          <input
            ref={file}
            type="file"
            accept="image/jpeg,image/png"
            hidden
            data-testid={`photo-file-${item.id}`}
            onChange={async (e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) await evidence('photo', f.name, f.type, await f.arrayBuffer());
            }}
          />
          <RecorderButton
            testId={`record-${item.id}`}
            onRecording={(b, mime, s) =>
              evidence(
                'audio',
                `现场录音-${item.no}-${stamp()}（${s}秒）.${mime === 'audio/ogg' ? 'ogg' : 'webm'}`,
                mime,
                b,
              )
            }
          />
          <Input
            size="small"
            className="xj-insp-text"
            placeholder="文字记录（如询问情况）"
            value={text}
            maxLength={2000}
            onChange={(e) => setText(e.target.value)}
            data-testid={`text-${item.id}`}
          />
          <Button
            size="small"
            disabled={!text.trim()}
            data-testid={`text-add-${item.id}`}
            onClick={async () => (await step({ kind: 'text', itemId, text })) && setText('')}
          >
            留存文字
          </Button>
        </Space>
      ) : null}
      {(check?.evidence ?? []).map((e) => (
        <Evidence key={e.kind === 'text' ? `${e.capturedAt}${e.text}` : e.sha256} e={e} />
      ))}
    </Card>
  );
}

function SampleTab({
  doc,
  editable,
  pack,
}: {
  doc: InspectionDoc;
  editable: boolean;
  pack: VisitPack | null;
}) {
  const step = useStep(doc.id);
  const [n, setN] = useState(5);
  const [seed, setSeed] = useState('');
  const parts = archivePartsFor(doc.template.schoolType);
  const diffs = archiveDifferences(doc);
  return (
    <Card size="small" className="xj-insp-card" title="抽查学生纸质档案">
      {doc.sample ? (
        <Typography.Paragraph data-testid="sample-info">
          从 {doc.sample.rosterSize} 名在籍学生中随机抽取 {doc.sample.students.length} 名（随机种子“
          {doc.sample.seed}”，{chinaTime(doc.sample.drawnAt)}）；还有 {uncheckedSampleParts(doc)} 项未核对。
        </Typography.Paragraph>
      ) : (
        <Space>
          <span>抽取</span>
          <InputNumber
            min={1}
            max={50}
            value={n}
            onChange={(v) => v && setN(v)}
            disabled={!editable || !pack}
            addonAfter="名"
          />
          <span>随机种子</span>
          <Input
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            disabled={!editable || !pack}
            data-testid="sample-seed"
            style={{ width: 180 }}
          />
          <Button
            disabled={!editable || !pack || !seed.trim()}
            data-testid="sample-draw"
            onClick={() => step({ kind: 'sample', n, seed: seed.trim() })}
          >
            抽取学生
          </Button>
          {!pack ? <Typography.Text type="secondary">须先下载检查资料</Typography.Text> : null}
        </Space>
      )}
      {doc.sample ? (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="sample-table"
          dataSource={doc.sample.students.map((id) => ({
            id,
            ...(doc.sampleChecks?.[id] as NonNullable<InspectionDoc['sampleChecks']>[string]),
          }))}
          columns={[
            {
              title: '学生',
              fixed: 'left',
              width: 120,
              render: (_, s) => `${s.name}（${s.grade}${s.classId}）`,
            },
            ...parts.map((p) => ({
              title: p.title,
              width: 112,
              render: (
                _: unknown,
                s: {
                  id: string;
                  claimed: Record<string, ArchiveItemState>;
                  found: Record<string, ArchiveItemState>;
                },
              ) => (
                <div>
                  <Typography.Text type="secondary" className="xj-insp-claimed">
                    登记：{STATE_LABELS[s.claimed[p.id] ?? 'missing']}
                  </Typography.Text>
                  <Radio.Group
                    size="small"
                    disabled={!editable}
                    value={s.found[p.id] ?? null}
                    data-testid={`sample-${s.id}-${p.id}`}
                    onChange={(e) =>
                      step({ kind: 'samplePart', studentId: s.id, partId: p.id, state: e.target.value })
                    }
                  >
                    <Radio.Button value="present">有</Radio.Button>
                    <Radio.Button value="missing">缺</Radio.Button>
                  </Radio.Group>
                </div>
              ),
            })),
          ]}
        />
      ) : null}
      {diffs.length > 0 ? (
        <Alert
          className="xj-insp-gap"
          type="warning"
          showIcon
          message={`与系统登记不符 ${diffs.length} 处`}
          description={
            <ul className="xj-insp-list">
              {diffs.map((d) => (
                <li key={`${d.studentId}${d.partId}`}>
                  {d.name}：{d.text}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
    </Card>
  );
}

function DuplicatesTab({
  doc,
  editable,
  pack,
}: {
  doc: InspectionDoc;
  editable: boolean;
  pack: VisitPack | null;
}) {
  const step = useStep(doc.id);
  const [idNo, setIdNo] = useState('');
  const d = doc.duplicates;
  return (
    <Card size="small" className="xj-insp-card" title="重复注册核查（一人一籍）">
      <Button
        disabled={!editable || !pack}
        onClick={() => step({ kind: 'duplicates' })}
        data-testid="duplicates-run"
      >
        {d ? '重新核查' : '进行核查'}
      </Button>
      {d ? (
        <Descriptions size="small" column={4} className="xj-insp-gap" data-testid="duplicates-result">
          <Descriptions.Item label="核查学生">{d.students} 人</Descriptions.Item>
          <Descriptions.Item label="本校重复">{d.within} 组</Descriptions.Item>
          <Descriptions.Item label="与外校重复">{d.elsewhere} 人</Descriptions.Item>
          <Descriptions.Item label="证件号无效">{d.invalid} 人</Descriptions.Item>
        </Descriptions>
      ) : null}
      {d && pack ? (
        <Space className="xj-insp-gap">
          <Input
            placeholder="现场纸质材料上的身份证件号"
            value={idNo}
            onChange={(e) => setIdNo(e.target.value)}
            style={{ width: 260 }}
            disabled={!editable}
          />
          <Button
            disabled={!editable || !idNo.trim()}
            onClick={async () =>
              (await step({ kind: 'lookup', result: lookupResultText(lookupIdNumber(pack, idNo.trim())) })) &&
              setIdNo('')
            }
          >
            查询并记录
          </Button>
        </Space>
      ) : null}
      {(d?.lookups ?? []).map((l) => (
        <div key={l.at} className="xj-insp-evidence">
          {chinaTime(l.at)}　{l.result}
        </div>
      ))}
    </Card>
  );
}

function RecordTab({ doc, editable }: { doc: InspectionDoc; editable: boolean }) {
  const step = useStep(doc.id);
  const { message } = App.useApp();
  const [problems, setProblems] = useState(doc.problems ?? '');
  const [handling, setHandling] = useState(doc.handling ?? '');
  const [head, setHead] = useState(doc.schoolHead ?? '');
  // the end time is the moment of confirming (completeVisit), unless set before
  const left = visitProblems(
    { ...doc, endedAt: doc.endedAt ?? new Date().toISOString() },
    { complete: true },
  );
  const signHere = async (key: string, jpeg: ArrayBuffer) => {
    const why = refusalText(await send('inspection-sign', { id: doc.id, key, jpeg }));
    if (why) message.error(why);
  };
  const signers = [
    ...doc.inspectors
      .filter((i) => doc.present?.[i.userId])
      .map((i) => ({ key: i.userId, label: `检查人员 ${i.name}` })),
    { key: SCHOOL_HEAD, label: `被检查单位负责人 ${doc.schoolHead ?? ''}` },
  ];
  return (
    <>
      <Card size="small" className="xj-insp-card" title="发现的问题、处理意见">
        <div className="xj-insp-columns">
          <div>
            <Space className="xj-insp-label">
              发现的问题
              {editable ? (
                <Button size="small" type="link" onClick={() => setProblems(suggestedProblems(doc))}>
                  按检查结果填写
                </Button>
              ) : null}
            </Space>
            <Input.TextArea
              rows={4}
              disabled={!editable}
              value={problems}
              maxLength={3000}
              data-testid="record-problems"
              onChange={(e) => setProblems(e.target.value)}
              onBlur={() => problems !== (doc.problems ?? '') && step({ kind: 'recordText', problems })}
            />
          </div>
          <div>
            <div className="xj-insp-label">处理意见及整改要求</div>
            <Input.TextArea
              rows={4}
              disabled={!editable}
              value={handling}
              maxLength={3000}
              data-testid="record-handling"
              onChange={(e) => setHandling(e.target.value)}
              onBlur={() => handling !== (doc.handling ?? '') && step({ kind: 'recordText', handling })}
            />
          </div>
        </div>
        <Space className="xj-insp-gap">
          被检查单位负责人
          <Input
            disabled={!editable}
            value={head}
            maxLength={50}
            data-testid="record-head"
            onChange={(e) => setHead(e.target.value)}
            onBlur={() => head !== (doc.schoolHead ?? '') && step({ kind: 'recordText', schoolHead: head })}
            style={{ width: 160 }}
          />
        </Space>
      </Card>
      <Card size="small" className="xj-insp-card" title="签字（在屏幕上手写）">
        <div className="xj-insp-signers">
          {signers.map((s) => {
            const signed = doc.signatures?.[s.key];
            return (
              <div key={s.key} className="xj-insp-signer">
                <div className="xj-insp-label">{s.label}</div>
                {signed ? (
                  <SignedImage sha={signed.sha256} at={signed.signedAt} />
                ) : (
                  <SignaturePad
                    testId={`sign-${s.key}`}
                    disabled={!editable || (s.key === SCHOOL_HEAD && !doc.schoolHead)}
                    onSigned={(b) => signHere(s.key, b)}
                  />
                )}
              </div>
            );
          })}
        </div>
      </Card>
      {editable ? (
        <Card size="small" className="xj-insp-card">
          {left.length > 0 ? (
            <Alert
              type="info"
              showIcon
              message="签字确认前还需要"
              description={
                <ul className="xj-insp-list" data-testid="record-left">
                  {left.slice(0, 12).map((p) => (
                    <li key={p.field + p.message}>{p.message}</li>
                  ))}
                </ul>
              }
            />
          ) : null}
          <Button
            type="primary"
            className="xj-insp-gap"
            disabled={left.length > 0}
            data-testid="record-complete"
            onClick={() => step({ kind: 'complete' })}
          >
            完成检查，确认记录
          </Button>
          <Typography.Text type="secondary">
            {' '}
            确认后记录不能再修改，可打印检查情况记录表并交被检查单位负责人。
          </Typography.Text>
        </Card>
      ) : null}
    </>
  );
}

function SignedImage({ sha, at }: { sha: string; at: string }) {
  const { url } = useEvidenceUrl(sha);
  return (
    <div data-testid="signed">
      {url ? (
        <img src={url} alt="签名" className="xj-insp-signed" />
      ) : (
        <div className="xj-insp-signed">签名图片未下载</div>
      )}
      <Typography.Text type="secondary">{chinaTime(at)}</Typography.Text>
    </div>
  );
}

function PrintRecordButton({ doc, pack }: { doc: InspectionDoc; pack: VisitPack | null }) {
  const build = async (): Promise<PrintJob> => {
    const images = new Map<string, string>();
    for (const s of Object.values(doc.signatures ?? {})) {
      const blob = await getBlob(s.sha256);
      if (!blob) continue;
      const bytes = new Uint8Array(await blob.bytes.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      images.set(s.sha256, `data:image/jpeg;base64,${btoa(bin)}`);
    }
    const data = recordFormData(doc, {
      school: {
        name: doc.schoolName,
        ...(pack?.school.creditCode ? { creditCode: pack.school.creditCode } : {}),
        ...(pack?.school.address ? { address: pack.school.address } : {}),
      },
      images,
    });
    return singleJob(RECORD_TITLE, doc.schoolName, doc.id, await renderInWorker('inspection-record', [data]));
  };
  return <PrintButton title={RECORD_TITLE} testId="print-record" build={build} />;
}

/** 检查报告 as served (R-REPORT-10 / R-PUBLISH-20 printed from this machine's calendar and settings). */
function PrintReportButton({ report }: { report: ReportDoc }) {
  const rules = useRulesState();
  const build = async (): Promise<PrintJob> => {
    const settings = ruleSettingsOf(rules.effective);
    const data = reportFormData(report, {
      printedAt: chinaDate(new Date().toISOString()),
      reportWorkdays: settings.reportWorkdays,
      publishWorkdays: settings.publishWorkdays,
      calendar: rules.effective.calendar,
    });
    return singleJob(
      REPORT_TITLE,
      report.schoolName,
      report.id,
      await renderInWorker('inspection-report', [data]),
    );
  };
  return <PrintButton title={REPORT_TITLE} testId="print-report" build={build} />;
}

/** The print job of one inspection's form, filed under the form's title. */
function singleJob(title: string, schoolName: string, id: string, result: PrintJob['result']): PrintJob {
  return {
    title: `${title} · ${schoolName}`,
    fileName: `${title}-${schoolName}-${id}`,
    subFolder: title,
    result,
    records: 1,
    missing: [],
  };
}

function PrintButton({
  title,
  testId,
  build,
}: {
  title: string;
  testId: string;
  build: () => Promise<PrintJob>;
}) {
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<PrintJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async () => {
    setOpen(true);
    setJob(null);
    setError(null);
    try {
      setJob(await build());
    } catch (e) {
      setError(`${title}：${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <>
      <Button icon={<PrinterOutlined />} onClick={start} data-testid={testId}>
        打印{title}
      </Button>
      {open ? (
        <PrintPreview
          open
          job={job}
          error={error}
          busyText={`正在生成${title}…`}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

function ReportTab({
  doc,
  report,
  role,
}: {
  doc: InspectionDoc;
  report: ReportDoc | undefined;
  role: string;
}) {
  const { message } = App.useApp();
  const desk = useDesk();
  const [fields, setFields] = useState<Partial<ReportDoc>>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: the edits are dropped when the stored report changes
  useEffect(() => setFields({}), [report?.updatedAt]);
  const mayWrite = role === 'inspector' || role === 'bureau';
  if (!report)
    return (
      <Card size="small" className="xj-insp-card">
        <Typography.Paragraph>
          检查结束后 10 个工作日内形成检查报告（R-REPORT-10），20 个工作日内公开检查结果（R-PUBLISH-20）。
        </Typography.Paragraph>
        {mayWrite && doc.status === 'recorded' ? (
          <Button
            data-testid="report-draft"
            onClick={async () => {
              const why = refusalText(
                await send('report-draft', { inspectionId: doc.id, issuer: doc.bureauName || desk.org.name }),
              );
              if (why) message.error(why);
            }}
          >
            起草检查报告
          </Button>
        ) : null}
      </Card>
    );
  const editable = mayWrite && report.status === 'draft';
  const value = (k: 'content' | 'situation' | 'evaluation' | 'suggestions') =>
    (fields[k] as string | undefined) ?? report[k];
  const save = async (issue: boolean) => {
    const why = refusalText(await send('report-save', { id: report.id, fields, issue }));
    if (why) message.error(why);
    else message.success(issue ? '检查报告已送达学校' : '已保存');
  };
  return (
    <Card
      size="small"
      className="xj-insp-card"
      title={`检查报告（${REPORT_STATUS_LABELS[report.status]}）`}
      data-testid="report-card"
    >
      {(['content', 'situation', 'evaluation', 'suggestions'] as const).map((k) => (
        <div key={k} className="xj-insp-field">
          <div className="xj-insp-label">
            {
              {
                content: '检查内容',
                situation: '检查情况',
                evaluation: '总体评价',
                suggestions: '处理意见和建议',
              }[k]
            }
          </div>
          <Input.TextArea
            // a served report reads as text (full height, normal contrast), not as a greyed-out field
            {...(editable ? { rows: k === 'situation' ? 4 : 2 } : { readOnly: true, autoSize: true })}
            value={value(k)}
            onChange={(e) => setFields({ ...fields, [k]: e.target.value })}
          />
        </div>
      ))}
      <Space className="xj-insp-gap">
        {editable ? (
          <>
            <Button onClick={() => save(false)}>保存</Button>
            <Button type="primary" data-testid="report-issue" onClick={() => save(true)}>
              送达学校
            </Button>
          </>
        ) : null}
        {role === 'schoolAdmin' && report.status === 'issued' ? (
          <Button
            type="primary"
            data-testid="report-receive"
            onClick={async () => {
              const why = refusalText(await send('report-receive', { id: report.id }));
              if (why) message.error(why);
            }}
          >
            签收检查报告
          </Button>
        ) : null}
        {report.status !== 'draft' ? <PrintReportButton report={report} /> : null}
        {report.receivedAt ? (
          <Typography.Text type="secondary">学校已于 {chinaTime(report.receivedAt)} 签收</Typography.Text>
        ) : null}
      </Space>
    </Card>
  );
}

function FollowUpsTab({ items, role }: { items: FollowUpDoc[]; role: string }) {
  const { message } = App.useApp();
  const [answer, setAnswer] = useState<Record<string, string>>({});
  if (items.length === 0)
    return (
      <Card size="small" className="xj-insp-card">
        没有整改事项（记录签字确认后，不符合的检查项目成为整改事项）
      </Card>
    );
  return (
    <>
      {items.map((f) => (
        <Card
          key={f.id}
          size="small"
          className="xj-insp-card"
          data-testid={`followup-${f.id}`}
          title={`${f.itemNo} ${f.itemTitle}`}
          extra={<Tag>{FOLLOW_UP_STATUS_LABELS[f.status]}</Tag>}
        >
          <div>问题：{f.problem}</div>
          <div>
            整改要求：{f.requirement}
            {f.dueDate ? `（${f.dueDate} 前回复）` : ''}
          </div>
          {f.answers.map((a) => (
            <div key={a.at} className="xj-insp-evidence">
              {chinaTime(a.at)} {a.byName}：{a.text}
              {a.evidence.map((e) => (
                <Evidence key={e.kind === 'text' ? e.text : e.sha256} e={e} />
              ))}
            </div>
          ))}
          {f.reviews.map((r) => (
            <div key={r.at} className="xj-insp-evidence">
              {chinaTime(r.at)} {r.byName}：{r.decision === 'close' ? '销号' : '退回'} {r.note}
            </div>
          ))}
          {role === 'schoolAdmin' && f.status !== 'closed' ? (
            <Space className="xj-insp-gap">
              <Input
                placeholder="整改情况"
                data-testid={`followup-answer-${f.id}`}
                value={answer[f.id] ?? ''}
                onChange={(e) => setAnswer({ ...answer, [f.id]: e.target.value })}
                style={{ width: 420 }}
              />
              <Button
                data-testid={`followup-send-${f.id}`}
                onClick={async () => {
                  const why = refusalText(
                    await send('followup-answer', { id: f.id, text: answer[f.id] ?? '' }),
                  );
                  if (why) message.error(why);
                  else setAnswer({ ...answer, [f.id]: '' });
                }}
              >
                回复
              </Button>
            </Space>
          ) : null}
          {(role === 'inspector' || role === 'bureau') && f.status === 'answered' ? (
            <Space className="xj-insp-gap">
              <Button
                type="primary"
                data-testid={`followup-close-${f.id}`}
                onClick={async () => {
                  const why = refusalText(
                    await send('followup-review', { id: f.id, decision: 'close', note: '' }),
                  );
                  if (why) message.error(why);
                }}
              >
                销号
              </Button>
              <Button
                onClick={async () => {
                  const why = refusalText(
                    await send('followup-review', { id: f.id, decision: 'reopen', note: '' }),
                  );
                  if (why) message.error(why);
                }}
              >
                退回重改
              </Button>
            </Space>
          ) : null}
        </Card>
      ))}
    </>
  );
}

export function VisitPage({ id }: { id: string }) {
  const doc = useInspectionRecord<InspectionDoc>(id);
  const user = useAuthUser();
  const pack = useVisitPack(id);
  const all = useInspectionRecords();
  const [tab, setTab] = useState('presence');
  if (doc === undefined) return null;
  if (doc?.kind !== 'inspection') return <Typography.Text>找不到该检查记录</Typography.Text>;
  const mine = user.role === 'inspector' && doc.inspectors.some((i) => i.userId === user.id);
  const editable = mine && (doc.status === 'assigned' || doc.status === 'onSite');
  const report = all.find((r): r is ReportDoc => r.kind === 'report' && r.id === reportIdOf(doc.id));
  const followUps = all.filter((r): r is FollowUpDoc => r.kind === 'followUp' && r.inspectionId === doc.id);
  const filled = doc.template.items.filter((i) => doc.checks?.[i.id]?.finding).length;
  return (
    <div className="xj-insp-page" data-testid="visit-page">
      <Card size="small" className="xj-insp-card xj-insp-head">
        <Space wrap size={16}>
          <Typography.Title level={5} className="xj-insp-title" data-testid="visit-title">
            {doc.schoolName}
          </Typography.Title>
          <Tag color="blue" data-testid="visit-status">
            {INSPECTION_STATUS_LABELS[doc.status]}
          </Tag>
          <span>{doc.matter.name}</span>
          <span>检查人员：{doc.inspectors.map((i) => `${i.name}（${i.enforcementId}）`).join('、')}</span>
          <span>
            {doc.template.title} 第 {doc.template.version} 版
          </span>
          <Deadlines doc={doc} report={report} />
          {doc.status === 'recorded' || doc.status === 'published' ? (
            <PrintRecordButton doc={doc} pack={pack} />
          ) : null}
        </Space>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        size="small"
        items={[
          {
            key: 'presence',
            label: `资料与签到（${Object.keys(doc.present ?? {}).length}/${doc.inspectors.length}）`,
            children: <PresenceTab doc={doc} editable={editable} pack={pack} />,
          },
          {
            key: 'items',
            label: `检查项目（${filled}/${doc.template.items.length}）`,
            children: doc.template.items.map((i) => (
              <ItemCard key={i.id} doc={doc} itemId={i.id} editable={editable} />
            )),
          },
          {
            key: 'sample',
            label: '抽查档案',
            children: <SampleTab doc={doc} editable={editable} pack={pack} />,
          },
          {
            key: 'duplicates',
            label: '重复注册',
            children: <DuplicatesTab doc={doc} editable={editable} pack={pack} />,
          },
          {
            key: 'record',
            label: '记录与签字',
            children: <RecordTab doc={doc} editable={editable} />,
          },
          {
            key: 'report',
            label: '检查报告',
            children: <ReportTab doc={doc} report={report} role={user.role} />,
          },
          {
            key: 'followups',
            label: `整改事项（${followUps.length}）`,
            children: <FollowUpsTab items={followUps} role={user.role} />,
          },
        ]}
      />
    </div>
  );
}
