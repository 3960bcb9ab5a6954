// The editor survives a server restart: it shows "offline", keeps edits made meanwhile, and
// merges them on reconnect without losing anything typed before or during the outage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  editorText,
  ensureBuilt,
  launchBrowser,
  newUserPage,
  screenshot,
  startServer,
  suiteSkip,
  waitEditorReady,
} from './harness.mjs';
import { caretToEnd, openFile, userWithProject, waitFor } from './scenario.mjs';

const skip = suiteSkip();

describe('web client resilience', { skip }, () => {
  let server;
  let browser;

  before(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the editor recovers after the server is killed and restarted, with no edit lost', async () => {
    const u = await userWithProject(browser, server, { files: { 'main.py': 'start = 1\n' } });
    await openFile(u, u.projectId, 'main.py');
    await caretToEnd(u.page);
    await u.page.keyboard.type('before_crash = 2\n');
    await u.page.waitForTimeout(300); // the update has reached the server (seen by the client)
    await server.restart({ signal: 'SIGKILL', downMs: 1000 });
    await u.page.waitForSelector('.statusbar[data-connection="connected"][data-lsp="ready"]', {
      timeout: 20_000,
    });
    await u.page.keyboard.type('after_restart = 3\n');
    await waitFor(async () => (await editorText(u.page)).includes('after_restart = 3'), {
      message: 'typed text after restart',
    });

    // A second browser context sees everything once it opens the document.
    const other = await newUserPage(browser, { baseURL: server.url });
    await other.page.goto('/');
    await other.context.addCookies(await u.context.cookies());
    await other.page.evaluate(() => localStorage.setItem('devsync.signedIn', '1'));
    await other.page.goto(`/projects/${u.projectId}/files/main.py`);
    await waitEditorReady(other.page, { timeout: 20_000 });
    await waitFor(
      async () => {
        const t = await editorText(other.page);
        return t.includes('before_crash = 2') && t.includes('after_restart = 3');
      },
      { message: 'all edits in a fresh browser' },
    );
    await other.context.close();
  });

  test('edits made while the server is down are kept and merged on reconnect', async () => {
    const u = await userWithProject(browser, server, { files: { 'main.py': 'base = 0\n' } });
    await openFile(u, u.projectId, 'main.py');
    await caretToEnd(u.page);
    await u.page.keyboard.type('online_edit = 1\n');
    await u.page.waitForTimeout(300);
    const restarting = server.restart({ signal: 'SIGKILL', downMs: 4000 });
    await u.page.waitForSelector('.banner.offline', { timeout: 10_000 });
    await u.page.keyboard.type('offline_edit = 2\n');
    await screenshot(u.page, '10-offline');
    await restarting;
    await u.page.waitForSelector('.statusbar[data-connection="connected"]', { timeout: 20_000 });
    await u.page.waitForSelector('.banner.offline', { state: 'detached', timeout: 10_000 });
    await screenshot(u.page, '11-reconnected');

    const other = await newUserPage(browser, { baseURL: server.url });
    await other.page.goto('/');
    await other.context.addCookies(await u.context.cookies());
    await other.page.evaluate(() => localStorage.setItem('devsync.signedIn', '1'));
    await other.page.goto(`/projects/${u.projectId}/files/main.py`);
    await waitEditorReady(other.page, { timeout: 20_000 });
    await waitFor(
      async () => {
        const t = await editorText(other.page);
        return t.includes('online_edit = 1') && t.includes('offline_edit = 2');
      },
      { message: 'the offline edit merged and visible elsewhere' },
    );
    assert.equal(await editorText(other.page), await editorText(u.page));
    await other.context.close();
  });
});
