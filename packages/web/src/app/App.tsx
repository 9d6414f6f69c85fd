import { Route, Switch, useLocation } from 'wouter';
import { useSession } from '../api/session.tsx';
import { LoginPage } from '../auth/LoginPage.tsx';
import { SetupPage } from '../auth/SetupPage.tsx';
import { WorkspaceScreen } from '../chat/Workspace.tsx';
import { RealtimeProvider } from './RealtimeContext.tsx';

export function App() {
  const { state } = useSession();
  const [, navigate] = useLocation();
  if (state.status === 'loading') return <main className="loading" aria-busy="true" />;
  if (state.status === 'anonymous')
    return (
      <Switch>
        <Route path="/setup">
          <SetupPage onDone={() => navigate('/')} />
        </Route>
        <Route>
          <LoginPage />
        </Route>
      </Switch>
    );
  return (
    <RealtimeProvider>
      <Switch>
        <Route path="/w/:workspaceId/c/:channelId">
          {(p) => <WorkspaceScreen workspaceId={p.workspaceId} channelId={p.channelId} />}
        </Route>
        <Route path="/w/:workspaceId">{(p) => <WorkspaceScreen workspaceId={p.workspaceId} />}</Route>
        <Route>
          <WorkspaceScreen />
        </Route>
      </Switch>
    </RealtimeProvider>
  );
}
