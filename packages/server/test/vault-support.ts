import { createDetector, type Finding } from '@enclave/pii';
import { expect } from 'vitest';
import type { ApiClient } from '../../../test-support/client.ts';
import type { TestServer } from '../../../test-support/server.ts';
import { inRegionTx } from '../src/actions/transaction.ts';
import { type VaultResult, vaultFindings } from '../src/protection/vault/index.ts';

// The write pipeline is not wired to the vault yet (issue 4 wires it next), so
// these tests stand in for it: they send a placeholder message through the
// normal send route (which gives the message its id), vault the real text's
// findings under that id with vaultFindings() in a region transaction, then
// put the tokenised text in place through the normal edit route. What the
// database ends up holding is exactly what the wired pipeline will store.

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
  const edited = await author.patch(`/api/v1/channels/${channelId}/messages/${messageId}`, {
    text: result.text,
  });
  expect(edited.status).toBe(200);
  return { ...result, messageId, region: dir.region };
}

export function scan(text: string): Finding[] {
  return detector.scan(text);
}

export const JUSTIFICATION = 'Appeal review for ticket T-4411, identity check';
