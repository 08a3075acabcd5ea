// Boot: open the local database, then show the first-start setup or the app for this installation's desk
// (a school, or a bureau / the province / an inspector: app/session.tsx).
import { App as AntApp, ConfigProvider, Result, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { combineLatest, of, switchMap } from 'rxjs';
import { installationOrgId, isAreaSettings } from '../../../shared/commands/school-setup';
import { getDatabase } from '../db/app-database';
import type { XuejiDatabase } from '../db/database';
import { installation$, localActor } from '../db/settings';
import { LockGate } from '../features/lock/LockGate';
import { SetupPage } from '../features/setup/SetupPage';
import { SyncGate } from '../features/sync/SyncGate';
import { Shell } from './Shell';
import { SchoolProvider, type SchoolSession } from './school-context';
import { DeskProvider, type DeskSession } from './session';
import { UI_FONT_FAMILY } from './ui-font';

type Boot =
  | { state: 'opening' }
  | { state: 'failed'; message: string }
  | { state: 'setup'; db: XuejiDatabase }
  | { state: 'ready'; desk: DeskSession; school: SchoolSession | null };

function useBoot(): Boot {
  const [boot, setBoot] = useState<Boot>({ state: 'opening' });
  useEffect(() => {
    let stop = () => {};
    getDatabase().then(
      (db) => {
        const sub = installation$(db)
          .pipe(
            switchMap((settings) =>
              combineLatest([
                of(settings),
                settings ? db.orgs.findOne(installationOrgId(settings)).$ : of(null),
              ]),
            ),
          )
          .subscribe(([settings, orgDoc]) => {
            if (!settings) setBoot({ state: 'setup', db });
            else if (orgDoc) {
              const org = orgDoc.toJSON();
              const actor = localActor(settings.operatorName);
              setBoot({
                state: 'ready',
                desk: { db, installation: settings, org, actor },
                school: isAreaSettings(settings) ? null : { db, settings, school: org, actor, view: 'own' },
              });
            }
          });
        stop = () => sub.unsubscribe();
      },
      (error: unknown) => setBoot({ state: 'failed', message: String(error) }),
    );
    return () => stop();
  }, []);
  return boot;
}

function Boot() {
  const boot = useBoot();
  switch (boot.state) {
    case 'opening':
      return <Spin fullscreen description="正在打开本地数据库…" />;
    case 'failed':
      return <Result status="error" title="无法打开本地数据库" subTitle={boot.message} />;
    case 'setup':
      return (
        <AntApp>
          <SetupPage />
        </AntApp>
      );
    case 'ready': {
      // Below the lock gate, antd's App holds every dialog and toast of the desk's screens: locking
      // unmounts them with the screens (nothing of the roster stays in the page).
      const app = (
        <LockGate db={boot.desk.db}>
          <AntApp>
            <SyncGate db={boot.desk.db}>
              <Shell />
            </SyncGate>
          </AntApp>
        </LockGate>
      );
      return (
        <DeskProvider value={boot.desk}>
          {boot.school ? <SchoolProvider value={boot.school}>{app}</SchoolProvider> : app}
        </DeskProvider>
      );
    }
  }
}

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      theme={{
        algorithm: theme.compactAlgorithm,
        token: {
          borderRadius: 3,
          fontSize: 13,
          fontFamily: UI_FONT_FAMILY,
        },
      }}
    >
      <Boot />
    </ConfigProvider>
  );
}
