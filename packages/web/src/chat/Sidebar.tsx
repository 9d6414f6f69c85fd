import type { Channel, Workspace } from '@enclave/protocol';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { get } from '../api/http.ts';

export function labelClass(label: string): string {
  return `label-badge label-${label}`;
}

export function Sidebar({ workspace, activeId }: { workspace: Workspace; activeId: string | undefined }) {
  const channels = useQuery({
    queryKey: ['channels', workspace.id],
    queryFn: () => get<{ channels: Channel[] }>(`/api/v1/workspaces/${workspace.id}/channels`),
  });
  const list = channels.data?.channels ?? [];
  const rooms = list.filter((c) => c.kind === 'public' || c.kind === 'private');
  const dms = list.filter((c) => c.kind === 'dm' || c.kind === 'group_dm');
  return (
    <nav className="sidebar" aria-label="Channels">
      <h2 className="workspace-name">{workspace.name}</h2>
      <h3 className="sidebar-heading">Channels</h3>
      <ul>
        {rooms.map((c) => (
          <li key={c.id}>
            <Link
              href={`/w/${workspace.id}/c/${c.id}`}
              className={c.id === activeId ? 'channel-link active' : 'channel-link'}
              aria-current={c.id === activeId ? 'page' : undefined}
            >
              <span aria-hidden="true">{c.kind === 'private' ? '🔒' : '#'}</span> {c.name}
              <span className={labelClass(c.label)}>{c.label}</span>
              <span className="region-tag" title={`Stored in region ${c.region}`}>
                {c.region}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {dms.length > 0 && <h3 className="sidebar-heading">Direct messages</h3>}
      <ul>
        {dms.map((c) => (
          <li key={c.id}>
            <Link
              href={`/w/${workspace.id}/c/${c.id}`}
              className={c.id === activeId ? 'channel-link active' : 'channel-link'}
            >
              {c.name || 'Direct message'}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
