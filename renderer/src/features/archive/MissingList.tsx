// The school-wide list of missing parts (缺件清单), virtualised.
import { Table } from 'antd';
import type { MissingPart } from '../../../../shared/archive/checklist';

export function MissingList({ items }: { items: MissingPart[] }) {
  return (
    <Table<MissingPart>
      size="small"
      virtual
      scroll={{ y: 520 }}
      pagination={false}
      rowKey={(r) => `${r.studentId}:${r.partId}`}
      dataSource={items}
      data-testid="archive-missing-list"
      columns={[
        { title: '年级', dataIndex: 'grade', width: 90 },
        { title: '班级', dataIndex: 'classId', width: 120 },
        { title: '校内学号', dataIndex: 'schoolNo', width: 110 },
        { title: '姓名', dataIndex: 'name', width: 90 },
        { title: '缺少的材料', dataIndex: 'title' },
      ]}
    />
  );
}
