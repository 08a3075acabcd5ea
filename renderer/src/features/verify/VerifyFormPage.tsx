// 核验表单: type, scan (a barcode scanner types like a keyboard), photograph or film the QR code of a paper
// form, and see the record it was printed from and whether today's record still matches it — and, from
// the print log, what differs (shared/forms/verify.ts decides). Only forms the app prints from its own
// records can be checked here; the command line checks any PDF (xueji verify-form).
import { CameraOutlined, PictureOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Input, Row, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import {
  type Difference,
  type PrintedForm,
  parseQrPayload,
  type QrStamp,
  recordIdOf,
  VERIFIABLE_FORMS,
  type VerifyOutcome,
  verifyArchiveList,
} from '../../../../shared/forms/verify-record';
import { href } from '../../app/router';
import { useSchool } from '../../app/school-context';
import { localTime } from '../roster/student-format';
import { readQr, readQrFromFile } from './qr-image';

type Result = { kind: 'error'; message: string } | { kind: 'done'; outcome: VerifyOutcome; student: Student };

function Camera({ onText, onClose }: { onText: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        if (stopped) {
          for (const t of s.getTracks()) t.stop();
          return;
        }
        stream = s;
        const v = video.current;
        if (!v) return;
        v.srcObject = s;
        void v.play();
        timer = setInterval(() => {
          if (!v.videoWidth) return;
          const text = readQr(v, v.videoWidth, v.videoHeight);
          if (text) onText(text);
        }, 250);
      })
      .catch((e: unknown) =>
        setError(
          `无法打开摄像头：${e instanceof Error && e.name === 'NotAllowedError' ? '没有使用摄像头的权限' : String(e)}`,
        ),
      ) ?? setError('此电脑没有可用的摄像头');
    return () => {
      stopped = true;
      clearInterval(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [onText]);
  return (
    <div className="xj-verify-camera">
      {error ? <Alert type="error" showIcon title={error} /> : <video ref={video} muted playsInline />}
      <Button size="small" onClick={onClose}>
        关闭摄像头
      </Button>
    </div>
  );
}

function Differences({ items }: { items: Difference[] }) {
  return (
    <Table<Difference>
      size="small"
      pagination={false}
      rowKey="label"
      dataSource={items}
      data-testid="verify-differences"
      columns={[
        { title: '项目', dataIndex: 'label', width: 200 },
        { title: '打印时', dataIndex: 'printed' },
        { title: '当前记录', dataIndex: 'current', render: (v: string) => <b>{v}</b> },
      ]}
    />
  );
}

export function VerifyFormPage() {
  const { db, school, settings } = useSchool();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [camera, setCamera] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const check = async (raw: string) => {
    setText(raw);
    const stamp: QrStamp | null = parseQrPayload(raw);
    if (!stamp) {
      setResult({
        kind: 'error',
        message: '这不是学籍桌面端打印的表单二维码（应以 XUEJI1 开头，含表单、记录编号和内容校验码）',
      });
      return;
    }
    const title = VERIFIABLE_FORMS[stamp.formId];
    if (!title) {
      setResult({
        kind: 'error',
        message:
          '本机目前只能核验从学生记录打印的《学籍档案目录》；其他表单请对照打印出的 PDF 文件核验（学籍管理员可在省级平台或用本软件附带的核验工具检查 PDF）',
      });
      return;
    }
    setBusy(true);
    try {
      const byStatusNo = await db.students.find({ selector: { statusNo: stamp.recordId } }).exec();
      const doc = byStatusNo[0] ?? (await db.students.findOne(stamp.recordId).exec());
      const student = doc?.toMutableJSON() as Student | undefined;
      if (!student || recordIdOf(student) !== stamp.recordId) {
        setResult({
          kind: 'error',
          message: `本机没有记录编号为 ${stamp.recordId} 的学生：这份表单可能来自其他学校，或该学生已不在本机`,
        });
        return;
      }
      const events = await db.events
        .find({ selector: { entityId: student.id, action: 'form-print' } })
        .exec();
      const prints = events.map((e) => {
        const ev = e.toJSON() as EventDoc;
        return { ...(ev.after as PrintedForm), by: ev.byName ?? ev.by, at: ev.at };
      });
      const outcome = verifyArchiveList(stamp, {
        student,
        school: { name: school.name, schoolType: settings.schoolType },
        prints,
        today: dayjs().format('YYYY-MM-DD'),
      });
      setResult({ kind: 'done', outcome, student });
    } finally {
      setBusy(false);
    }
  };

  const fromFile = async (f: File) => {
    setBusy(true);
    try {
      const found = await readQrFromFile(f);
      if (found) await check(found);
      else
        setResult({
          kind: 'error',
          message: `在“${f.name}”中没有找到二维码：请拍清楚表单右上角的二维码，或换一张更清晰的图片`,
        });
    } catch (e) {
      setResult({ kind: 'error', message: `无法读取图片“${f.name}”：${String(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="xj-sync" data-testid="verify-page">
      <Row gutter={12}>
        <Col span={9}>
          <Card
            size="small"
            className="xj-card"
            title={
              <span>
                <SafetyCertificateOutlined /> 核验纸质表单
              </span>
            }
          >
            <Typography.Paragraph type="secondary">
              每页表单右上角的二维码记有记录编号和内容校验码。输入或用扫码枪扫入二维码内容，或选择表单的照片、扫描件，即可查看它打印自哪条记录、与当前记录是否一致。
            </Typography.Paragraph>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input.Search
                value={text}
                onChange={(e) => setText(e.target.value)}
                onSearch={(v) => void check(v)}
                placeholder="用扫码枪扫入或粘贴二维码内容（以 XUEJI1 开头）"
                enterButton="核验"
                loading={busy}
                data-testid="verify-text"
                aria-label="二维码内容"
              />
              <Space>
                <input
                  ref={file}
                  type="file"
                  accept="image/*"
                  style={{ display: 'none' }}
                  data-testid="verify-file"
                  onChange={(e) => {
                    const f = e.target.files?.[0];
                    if (f) void fromFile(f);
                    e.target.value = '';
                  }}
                />
                <Button icon={<PictureOutlined />} onClick={() => file.current?.click()}>
                  选择照片或扫描件…
                </Button>
                <Button icon={<CameraOutlined />} onClick={() => setCamera(true)} disabled={camera}>
                  用摄像头扫描
                </Button>
              </Space>
              {camera ? (
                <Camera
                  onText={(t) => {
                    setCamera(false);
                    void check(t);
                  }}
                  onClose={() => setCamera(false)}
                />
              ) : null}
            </Space>
          </Card>
        </Col>
        <Col span={15}>
          <Card size="small" className="xj-card" title="核验结果" data-testid="verify-result">
            {!result ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚未核验表单" />
            ) : result.kind === 'error' ? (
              <Alert type="error" showIcon title={result.message} data-testid="verify-error" />
            ) : (
              <Outcome outcome={result.outcome} student={result.student} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function Outcome({ outcome, student }: { outcome: VerifyOutcome; student: Student }) {
  const print = outcome.print;
  const printedAt = outcome.kind === 'match' ? outcome.printedAt : print?.printedAt;
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      {outcome.kind === 'match' ? (
        <Alert
          type="success"
          showIcon
          title="与当前记录一致"
          description="纸质表单打印的内容与本机当前的记录相同。"
          data-testid="verify-match"
        />
      ) : (
        <Alert
          type="error"
          showIcon
          title="与当前记录不一致"
          description={
            outcome.differences.length > 0
              ? `打印之后记录有 ${outcome.differences.length} 处改动（见下表），纸质表单已不是当前版本。`
              : '打印之后记录已改动，纸质表单不是当前版本；本机没有这份表单的打印记录，无法列出具体差异。'
          }
          data-testid="verify-mismatch"
        />
      )}
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label="表单">{VERIFIABLE_FORMS[outcome.stamp.formId]}</Descriptions.Item>
        <Descriptions.Item label="记录编号">{outcome.stamp.recordId}</Descriptions.Item>
        <Descriptions.Item label="学生">
          <a href={href(`/students/${student.id}`)} data-testid="verify-student">
            {student.name}
          </a>
          <span className="xj-muted">
            {' '}
            {student.grade} {student.classId}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="打印日期">{printedAt ?? '不详'}</Descriptions.Item>
        <Descriptions.Item label="打印人">
          {print?.by ? `${print.by}${print.at ? `（${localTime(print.at)}）` : ''}` : '本机无打印记录'}
        </Descriptions.Item>
        <Descriptions.Item label="内容校验码">{outcome.stamp.hash.slice(0, 16)}…</Descriptions.Item>
      </Descriptions>
      {outcome.kind === 'changed' && outcome.differences.length > 0 ? (
        <Differences items={outcome.differences} />
      ) : null}
    </Space>
  );
}
