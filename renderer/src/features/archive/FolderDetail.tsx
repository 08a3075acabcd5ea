// The detail panel of the focused folder: its parts with who checked them and when, the scans, and the
// student's history (described by shared/archive/history).
import { PaperClipOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Empty, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { ARCHIVE_STATE_LABELS, checklistOf } from '../../../../shared/archive/checklist';
import { archiveEventSummary } from '../../../../shared/archive/history';
import { personName } from '../../../../shared/domain/names';
import type { EventDoc } from '../../../../shared/domain/schemas';
import type { Student } from '../../../../shared/domain/student';
import { useSchool } from '../../app/school-context';
import { send } from '../../db/commands';
import { SCAN_TYPES } from '../../db/commands/archive';
import { loadAttachment } from '../../sync/attachments-open';
import { shortDate } from './FolderRow';

function useStudentEvents(studentId: string | undefined): EventDoc[] {
  const { db } = useSchool();
  const [events, setEvents] = useState<EventDoc[]>([]);
  useEffect(() => {
    if (!studentId) {
      setEvents([]);
      return;
    }
    const sub = db.events
      .find({ selector: { entityId: studentId }, sort: [{ entityId: 'asc' }, { at: 'asc' }] })
      .$.subscribe((docs) => setEvents(docs.map((d) => d.toJSON() as EventDoc).reverse()));
    return () => sub.unsubscribe();
  }, [db, studentId]);
  return events;
}

export function FolderDetail({
  student,
  schoolType,
}: {
  student: Student | undefined;
  schoolType: 'vocational' | 'k12';
}) {
  const { message } = AntApp.useApp();
  const { db } = useSchool();
  const events = useStudentEvents(student?.id);
  const fileInput = useRef<HTMLInputElement>(null);
  const [attachPart, setAttachPart] = useState<string | null>(null);
  if (!student) return <Empty description="选择一个档案袋" />;
  const parts = checklistOf(student, schoolType);
  const attach = async (file: File) => {
    if (!attachPart) return;
    const r = await send('archive-attach', {
      studentId: student.id,
      partId: attachPart,
      name: file.name,
      mime: file.type,
      bytes: await file.arrayBuffer(),
    });
    if (r.ok) message.success(`已保存扫描件“${file.name}”`);
    else message.error(r.errors.map((e) => e.message).join('；'));
  };
  const view = async (sha: string) => {
    // Bytes attached on another device come down from the provincial server on first open.
    const hide = message.loading('正在打开扫描件…', 0);
    const r = await loadAttachment(db, sha).finally(hide);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    window.open(URL.createObjectURL(r.blob.bytes), '_blank', 'noopener');
  };
  return (
    <div className="xj-folder-detail" data-testid="archive-detail">
      <Typography.Title level={5} style={{ margin: '0 0 6px' }}>
        {student.name}{' '}
        <Typography.Text type="secondary">
          {student.schoolNo} · {student.classId}
        </Typography.Text>
      </Typography.Title>
      <input
        ref={fileInput}
        type="file"
        accept={SCAN_TYPES.join(',')}
        style={{ display: 'none' }}
        data-testid="archive-scan-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void attach(f);
          e.target.value = '';
        }}
      />
      <table className="xj-parts-table">
        <tbody>
          {parts.map((p, i) => {
            const who = p.item?.checkedAt
              ? `${shortDate(p.item.checkedAt)} ${personName(p.item.checkedBy)}`.trim()
              : '未核对';
            return (
              <tr key={p.id} data-part={p.id} data-state={p.state}>
                <td className="xj-parts-key">{i + 1}</td>
                <td className="xj-parts-main">
                  <div className="xj-parts-line">
                    <Typography.Text className="xj-parts-title" ellipsis={{ tooltip: p.title }}>
                      {p.title}
                    </Typography.Text>
                    <Tag
                      className="xj-parts-tag"
                      color={p.state === 'present' ? 'green' : p.state === 'missing' ? 'red' : 'default'}
                    >
                      {ARCHIVE_STATE_LABELS[p.state]}
                    </Tag>
                  </div>
                  <div className="xj-parts-line">
                    <Typography.Text className="xj-parts-who" ellipsis={{ tooltip: who }}>
                      {who}
                    </Typography.Text>
                    {p.item?.attachmentId ? (
                      <Button
                        size="small"
                        type="link"
                        className="xj-parts-action"
                        onClick={() => view(p.item?.attachmentId ?? '')}
                      >
                        查看扫描件
                      </Button>
                    ) : (
                      <Tooltip title="上传该项的扫描件（PDF 或图片）">
                        <Button
                          size="small"
                          type="link"
                          className="xj-parts-action"
                          icon={<PaperClipOutlined />}
                          onClick={() => {
                            setAttachPart(p.id);
                            fileInput.current?.click();
                          }}
                          data-testid={`attach-${p.id}`}
                        >
                          扫描件
                        </Button>
                      </Tooltip>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Typography.Text strong style={{ display: 'block', margin: '8px 0 4px' }}>
        变更历史
      </Typography.Text>
      <div className="xj-history" data-testid="archive-history">
        {events.length === 0 ? <Typography.Text type="secondary">暂无记录</Typography.Text> : null}
        {events.slice(0, 50).map((e) => (
          <div key={e.id} className="xj-history-row">
            <div className="xj-history-head">
              <span className="xj-history-at">{dayjs(e.at).format('YYYY-MM-DD HH:mm')}</span>
              <span className="xj-history-who" title={e.byName ?? personName(e.by)}>
                {e.byName ?? personName(e.by)}
              </span>
            </div>
            <div className="xj-history-what">{archiveEventSummary(e, schoolType)}</div>
          </div>
        ))}
      </div>
    </div>
  );
}
