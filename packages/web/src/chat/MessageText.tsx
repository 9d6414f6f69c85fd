import { parseTokens } from '@enclave/protocol';
import Markdown, { defaultUrlTransform } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { VaultChip } from '../protection/VaultChip.tsx';

// Markdown, rendered safely: react-markdown never renders raw HTML, and links
// keep only safe protocols (defaultUrlTransform). Vault tokens become chips:
// they are turned into `vault:` links first so Markdown around them still works.

const VAULT = 'vault:';

function withChips(text: string): string {
  let out = '';
  let at = 0;
  for (const t of parseTokens(text)) {
    const mask = t.mask.replace(/[[\]\\]/g, (c) => `\\${c}`);
    out += `${text.slice(at, t.start)}[${mask}](${VAULT}${t.tokenId}/${t.type})`;
    at = t.end;
  }
  return out + text.slice(at);
}

export function MessageText({
  text,
  messageId,
  channelId,
}: {
  text: string;
  messageId?: string;
  channelId?: string;
}) {
  return (
    <div className="message-text">
      <Markdown
        remarkPlugins={[remarkGfm]}
        urlTransform={(url) => (url.startsWith(VAULT) ? url : defaultUrlTransform(url))}
        components={{
          a: ({ href, children }) => {
            if (href?.startsWith(VAULT)) {
              const [tokenId, type] = href.slice(VAULT.length).split('/');
              return (
                <VaultChip
                  tokenId={tokenId ?? ''}
                  type={type ?? ''}
                  messageId={messageId}
                  channelId={channelId}
                >
                  {children}
                </VaultChip>
              );
            }
            return (
              <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                {children}
              </a>
            );
          },
          img: ({ alt }) => <span className="muted">[image: {alt}]</span>,
        }}
      >
        {withChips(text)}
      </Markdown>
    </div>
  );
}
