import { createDetector, type Finding } from '@enclave/pii';
import { expect } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import type { TestServer } from '../../../test-support/server.ts';
import { inRegionTx } from '../src/actions/transaction.ts';
import { type VaultResult, vaultFindings } from '../src/protection/vault/index.ts';

// These tests exercise the vault with chosen findings, independent of what the
// active policy would decide: they send a placeholder message through the send
// route (which gives the message its id), vault the real text's findings under
// that id with vaultFindings() in a region transaction, and put the tokenised
// text in the row. The pipeline itself (policy decides, then the same
// vaultFindings call) is tested end to end in pipeline.test.ts.

const detector = createDetector();
let counter = 0;

export interface Vaulted extends VaultResult {
  messageId: string;
  region: string;
}

export async function postVaulted(
  t: TestServer,
  author: ApiClient,
  channelId: string,
  text: string,
  findings: Finding[] = detector.scan(text),
): Promise<Vaulted> {
  const sent = await author.post(`/api/v1/channels/${channelId}/messages`, {
    clientMsgId: `vault-${++counter}`,
    text: 'pending vault',
  });
  expect(sent.status).toBe(201);
  const messageId = sent.body.message.id as string;
  const services = t.server.app.services;
  const dir = await services.stores.directory
    .selectFrom('channels')
    .select('region')
    .where('id', '=', channelId)
    .executeTakeFirstOrThrow();
  const result = await inRegionTx(services, dir.region, (tx) =>
    vaultFindings(tx, { keys: services.vault.keys, channelId, messageId, text, findings }),
  );
  // Written straight to the row: through the API, typed tokens are escaped (VA-8), as they must be.
  await services.stores
    .region(dir.region)
    .updateTable('messages')
    .set({ text: result.text })
    .where('id', '=', messageId)
    .execute();
  return { ...result, messageId, region: dir.region };
}

export function scan(text: string): Finding[] {
  return detector.scan(text);
}

export const JUSTIFICATION = 'Appeal review for ticket T-4411, identity check';
