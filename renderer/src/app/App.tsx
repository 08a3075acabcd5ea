// Boot: open the local database, then show the first-start setup or the app for the school.
import { App as AntApp, ConfigProvider, Result, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { combineLatest, of, switchMap } from 'rxjs';
import { getDatabase } from '../db/app-database';
import type { XuejiDatabase } from '../db/database';
import { localActor, settings$ } from '../db/settings';
import { LockGate } from '../features/lock/LockGate';
import { SetupPage } from '../features/setup/SetupPage';
import { SyncGate } from '../features/sync/SyncGate';
import { Shell } from './Shell';
import { SchoolProvider, type SchoolSession } from './school-context';
import { UI_FONT_FAMILY } from './ui-font';

type Boot =
  | { state: 'opening' }
  | { state: 'failed'; message: string }
  | { state: 'setup'; db: XuejiDatabase }
  | { state: 'ready'; session: SchoolSession };

function useBoot(): Boot {
  const [boot, setBoot] = useState<Boot>({ state: 'opening' });
  useEffect(() => {
    let stop = () => {};
    getDatabase().then(
      (db) => {
        const sub = settings$(db)
          .pipe(
            switchMap((settings) =>
              combineLatest([of(settings), settings ? db.orgs.findOne(settings.schoolId).$ : of(null)]),
            ),
          )
          .subscribe(([settings, school]) => {
            if (!settings) setBoot({ state: 'setup', db });
            else if (school)
              setBoot({
                state: 'ready',
                session: { db, settings, school: school.toJSON(), actor: localActor(settings.operatorName) },
              });
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
    case 'ready':
      // Below the lock gate, antd's App holds every dialog and toast of the school's screens: locking
      // unmounts them with the screens (nothing of the roster stays in the page).
      return (
        <SchoolProvider value={boot.session}>
          <LockGate db={boot.session.db}>
            <AntApp>
              <SyncGate db={boot.session.db}>
                <Shell />
              </SyncGate>
            </AntApp>
          </LockGate>
        </SchoolProvider>
      );
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
