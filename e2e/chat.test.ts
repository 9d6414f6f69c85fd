import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../scripts/ensure-web-build.ts';
import { startTestServer, type TestServer } from '../test-support/server.ts';
import { launch, newContext, screenshot, signIn } from './support/browser.ts';

// The first journey in a real browser: first-run setup from the printed link,
// then two people chatting live in two browser contexts.

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuild();
  t = await startTestServer();
  browser = await launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('first run and live chat', () => {
  it('sets up from the link, lands in #general, and two people see each other’s messages live', async () => {
    const ctx = await newContext(browser, t.url);
    const page = await ctx.newPage();
    page.on(
      'console',
      (m) =>
        m.type() === 'error' && !m.text().includes('status of 40') && console.error('[browser]', m.text()),
    );
    page.on('pageerror', (e) => console.error('[browser]', e.stack));
    const setupPath = new URL(t.setupUrl);
    await page.goto(`${setupPath.pathname}${setupPath.search}`);
    await expect(page.getByRole('heading', { name: 'Set up Enclave' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'setup');
    await page.getByLabel('Workspace name').fill('Trust and Safety');
    await page.getByLabel('Your name').fill('Olive Owner');
    await page.getByLabel('Email').fill('olive@example.com');
    await page.getByLabel('Password (at least 10 characters)').fill('owner-password-123');
    await page.getByLabel('Where you work from').selectOption('US');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: '# general' }).waitFor();
    await page.getByText('Connected').waitFor();

    const workspaces = await page.evaluate(
      async () => (await (await fetch('/api/v1/workspaces')).json()) as { workspaces: { id: string }[] },
    );
    const workspaceId = workspaces.workspaces[0]!.id;
    const sam = await t.user(workspaceId, { name: 'Sam Support' });
    const general = page.url().split('/c/')[1]!;
    await sam.post(`/api/v1/channels/${general}/join`);

    const ctx2 = await newContext(browser, t.url);
    const page2 = await ctx2.newPage();
    await signIn(page2, sam.email!, sam.password!);
    await page2.getByText('Connected').waitFor();

    await page.getByLabel('Message #general').fill('Morning! Any new appeals?');
    await page.keyboard.press('Enter');
    await page2.getByText('Morning! Any new appeals?').waitFor();
    await page2.getByLabel('Message #general').fill('Two, both in the queue.');
    await page2.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Two, both in the queue.').waitFor();
    await screenshot(page, 'channel');
    await ctx.close();
    await ctx2.close();
  });
});
