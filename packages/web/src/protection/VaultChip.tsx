import type { ReactNode } from 'react';

// A vaulted value as a masked chip (VA-8). Revealing it (with a justification,
// for 30 seconds) is the reveal dialog's job; without a message context the
// chip only shows the mask and the type.
export function VaultChip({
  type,
  children,
}: {
  tokenId: string;
  type: string;
  messageId?: string | undefined;
  channelId?: string | undefined;
  children: ReactNode;
}) {
  const label = type.replaceAll('_', ' ').toLowerCase();
  return (
    <span className="vault-chip" title={`Protected ${label}`} data-type={type}>
      <span aria-hidden="true">🔒</span> {children}
      <span className="sr-only"> (protected {label})</span>
    </span>
  );
}
