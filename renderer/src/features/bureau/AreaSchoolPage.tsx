// One school's roster on an area desk, read-only (issue 11: "open any school's roster and student pages
// read-only"). A county holds every school; a city or the province downloads a school it does not hold
// when it is opened, after showing how much that is.
import { CloudDownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { choosesSchools, heldSchools } from '../../../../shared/sync/selection';
import { SchoolScope, useOrg } from '../../app/school-scope';
import { useAuthUser, useDesk } from '../../app/session';
import { useSyncStatus } from '../../sync/use-sync';
import { RosterPage } from '../roster/RosterPage';
import { sizeLabel } from './area-rows';
import { useArea } from './area-store';
import { useSchoolDownload, useSelection } from './SchoolsPage';
import { useAreaStats } from './use-area-stats';

export function AreaSchoolPage({ id }: { id: string }) {
  const { db, org: desk } = useDesk();
  const user = useAuthUser();
  const school = useOrg(id);
  const selection = useSelection();
  const { stats } = useAreaStats(db);
  const { store } = useArea(db);
  const status = useSyncStatus();
  const download = useSchoolDownload();
  if (school === undefined) return null;
  if (school?.kind !== 'school' || !school.path.startsWith(desk.path))
    return <Result status="404" title="找不到该学校" subTitle="该学校不在本单位辖区内，或尚未同步单位信息" />;
  const held = !choosesSchools(user) || heldSchools(selection).includes(id);
  const server = stats?.schools.find((s) => s.id === id);
  if (!held)
    return (
      <Card size="small" className="xj-area-download" title={school.name} data-testid="school-not-held">
        <Typography.Paragraph>
          该校的数据未保存在本机。下载约 <b>{server ? server.students.toLocaleString('zh-CN') : '—'}</b>{' '}
          名学生的记录，数据约 <b>{server ? sizeLabel(server.bytes) : '—'}</b>
          （传输时压缩），下载后断网也可查看。
        </Typography.Paragraph>
        {status.phase === 'never' || !status.online ? (
          <Alert type="warning" showIcon title="当前未连接省级平台，联网后才能下载该校数据" />
        ) : (
          <Button
            type="primary"
            icon={<CloudDownloadOutlined />}
            data-testid="school-download"
            onClick={() =>
              download(
                {
                  id,
                  name: school.name,
                  students: server?.students ?? null,
                  bytes: server?.bytes ?? null,
                },
                'cache',
              )
            }
          >
            下载并查看
          </Button>
        )}
      </Card>
    );
  const arrived = store.idsOf(id).length;
  const expected = server?.students ?? 0;
  return (
    <SchoolScope schoolId={id}>
      {arrived < expected && status.phase === 'syncing' ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={`正在下载该校数据：已收到 ${arrived.toLocaleString('zh-CN')} / 约 ${expected.toLocaleString('zh-CN')} 名学生`}
        />
      ) : null}
      <RosterPage />
    </SchoolScope>
  );
}
