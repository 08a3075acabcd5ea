// This machine's emergency corrections of the working-day calendar (the local layer of shared/calendar):
// a closure or a make-up day announced before the province's correction arrives by sync. Saved through
// the `calendar-local-set` command, which validates the list and records who changed it (R-WHO).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ButtonProps } from 'antd';
import { Alert, Button, DatePicker, Input, Modal, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { CalendarOverride } from '../../../../shared/calendar/calendar';
import { send } from '../../db/commands';

const KINDS = { holiday: '放假', workday: '上班' } as const;

export function LocalCalendarEditor({
  open,
  onClose,
  entries,
  province,
}: {
  open: boolean;
  onClose: (saved: boolean) => void;
  entries: readonly CalendarOverride[];
  province: readonly CalendarOverride[];
}) {
  const [rows, setRows] = useState<CalendarOverride[]>([]);
  const [date, setDate] = useState<Dayjs | null>(null);
  const [kind, setKind] = useState<CalendarOverride['kind']>('holiday');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setRows([...entries]);
      setError(null);
    }
  }, [open, entries]);

  const add = () => {
    if (!date) return setError('请选择日期');
    const d = date.format('YYYY-MM-DD');
    if (rows.some((r) => r.date === d)) return setError(`${d} 已在列表中`);
    setRows(
      [...rows, { date: d, kind, ...(note.trim() ? { note: note.trim() } : {}) }].sort((a, b) =>
        a.date.localeCompare(b.date),
      ),
    );
    setDate(null);
    setNote('');
    setError(null);
  };

  const save = async () => {
    setBusy(true);
    try {
      const r = await send('calendar-local-set', { entries: rows });
      if (!r.ok) setError(r.errors.map((e) => e.message).join('；'));
      else onClose(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="本机临时调整工作日"
      width={680}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'local-calendar-save' } as ButtonProps}
      onOk={save}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        用于省教育厅的调整尚未同步到本机时的临时放假或调休上班，只影响本机的期限计算。整年的放假安排由省教育厅发布
        {province.length > 0 ? `（已同步省级调整 ${province.length} 条）` : ''}
        ；载入某年的任一调整即视为该年安排已载入。
      </Typography.Paragraph>
      <Table<CalendarOverride>
        size="small"
        rowKey="date"
        pagination={false}
        scroll={{ y: 220 }}
        dataSource={rows}
        locale={{ emptyText: '没有本机临时调整' }}
        data-testid="local-calendar-rows"
        columns={[
          { title: '日期', dataIndex: 'date', width: 120 },
          { title: '类型', dataIndex: 'kind', width: 80, render: (k: CalendarOverride['kind']) => KINDS[k] },
          { title: '依据', dataIndex: 'note' },
          {
            title: '',
            width: 48,
            render: (_, r) => (
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined />}
                aria-label={`删除 ${r.date}`}
                onClick={() => setRows(rows.filter((x) => x.date !== r.date))}
              />
            ),
          },
        ]}
      />
      <Space.Compact style={{ width: '100%', marginTop: 8 }}>
        <DatePicker
          value={date}
          onChange={setDate}
          placeholder="日期"
          style={{ width: 150 }}
          data-testid="local-calendar-date"
        />
        <Select
          value={kind}
          onChange={setKind}
          style={{ width: 90 }}
          options={Object.entries(KINDS).map(([value, label]) => ({ value, label }))}
        />
        <Input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={200}
          placeholder="依据（如 市政府通知文号）"
          data-testid="local-calendar-note"
        />
        <Button icon={<PlusOutlined />} onClick={add} data-testid="local-calendar-add">
          添加
        </Button>
      </Space.Compact>
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} /> : null}
    </Modal>
  );
}
