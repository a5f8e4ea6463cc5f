import { lazy, Suspense, useEffect } from 'react';
import { AccelerationPanel } from '../accel/AccelerationPanel';
import { ExportPanel } from '../export/ExportPanel';
import { EngineBanner } from '../feedback/EngineBanner';
import { OfflineScreen } from '../feedback/OfflineScreen';
import { Toasts } from '../feedback/Toasts';
import { HistoryList } from '../history/HistoryList';
import { TopBar } from '../layout/TopBar';
import { ObjectList } from '../objects/ObjectList';
import { PhotoPanel } from '../photo/PhotoPanel';
import { RunPanel } from '../run/RunPanel';
import { useStudio, useStudioInstance } from './context';
import { connectShell } from './studio';
import { useShortcuts } from './useShortcuts';

// three.js and R3F load after the first paint.
const ViewerPanel = lazy(() => import('../viewer/ViewerPanel').then((m) => ({ default: m.ViewerPanel })));
const CompareView = lazy(() => import('../compare/CompareView').then((m) => ({ default: m.CompareView })));

export function App() {
  const studio = useStudioInstance();
  const { ops, client } = studio;
  const status = useStudio((s) => s.engine.status);
  const workspace = useStudio((s) => s.workspace);

  useEffect(() => {
    const off = client.on((e) => void ops.handleEvent(e));
    void ops.connect();
    return off;
  }, [client, ops]);
  useEffect(() => connectShell(studio, () => document.activeElement), [studio]);
  useShortcuts(ops);

  return (
    <div className="app" data-testid="studio">
      <TopBar />
      {status === 'offline' ? (
        <OfflineScreen />
      ) : (
        <div className="workbench">
          <aside className="sidebar left">
            <ObjectList />
            <AccelerationPanel />
            <RunPanel />
          </aside>
          <main className={workspace === 'compare' ? 'center single' : 'center'}>
            <Suspense fallback={<div className="pane" />}>
              {workspace === 'compare' ? (
                <CompareView />
              ) : (
                <>
                  <PhotoPanel />
                  <ViewerPanel />
                </>
              )}
            </Suspense>
          </main>
          <aside className="sidebar right">
            <ExportPanel />
            <HistoryList />
          </aside>
        </div>
      )}
      <EngineBanner />
      <Toasts />
    </div>
  );
}
