import type { Channel, Workspace as WorkspaceT } from '@enclave/protocol';
import { useQuery } from '@tanstack/react-query';
import { Redirect } from 'wouter';
import { get } from '../api/http.ts';
import { useSession } from '../api/session.tsx';
import { useConnectionState } from '../app/RealtimeContext.tsx';
import { ChannelView } from './ChannelView.tsx';
import { Sidebar } from './Sidebar.tsx';

/** The signed-in layout: sidebar, the open channel, the connection state. */
export function WorkspaceScreen({ workspaceId, channelId }: { workspaceId?: string; channelId?: string }) {
  const { state, logout } = useSession();
  const connection = useConnectionState();
  const workspaces = useQuery({
    queryKey: ['workspaces'],
    queryFn: () => get<{ workspaces: WorkspaceT[] }>('/api/v1/workspaces'),
  });
  const workspace =
    workspaces.data?.workspaces.find((w) => w.id === workspaceId) ?? workspaces.data?.workspaces[0];
  const channels = useQuery({
    queryKey: ['channels', workspace?.id],
    enabled: !!workspace,
    queryFn: () => get<{ channels: Channel[] }>(`/api/v1/workspaces/${workspace!.id}/channels`),
  });
  if (state.status !== 'signed-in') return null;
  if (workspaces.isLoading) return <main className="loading" aria-busy="true" />;
  if (!workspace) return <main className="empty">You are not in a workspace yet.</main>;
  if (!channelId && channels.data?.channels[0])
    return <Redirect to={`/w/${workspace.id}/c/${channels.data.channels[0].id}`} replace />;
  return (
    <div className="app-shell">
      <Sidebar workspace={workspace} activeId={channelId} />
      <main className="main">
        <div className="topbar">
          <span className={`connection connection-${connection}`} role="status">
            {connection === 'live'
              ? 'Connected'
              : connection === 'connecting'
                ? 'Connecting…'
                : 'Offline — reconnecting'}
          </span>
          <span className="me">{state.user.displayName}</span>
          <button type="button" className="link" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
        {channelId ? (
          <ChannelView channelId={channelId} viewerId={state.user.id} />
        ) : (
          <p className="empty">No channel yet.</p>
        )}
      </main>
    </div>
  );
}
