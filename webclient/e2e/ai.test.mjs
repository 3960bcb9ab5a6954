// Inline AI completions: ghost text from a local fake OpenAI-compatible server; Tab accepts it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  editorText,
  ensureBuilt,
  launchBrowser,
  screenshot,
  startServer,
  suiteSkip,
} from './harness.mjs';
import { startFakeAi } from './fake-ai.mjs';
import { caretToEnd, openFile, userWithProject, waitFor } from './scenario.mjs';

const skip = suiteSkip();

describe('web client AI', { skip }, () => {
  let server;
  let browser;
  let ai;

  before(async () => {
    ensureBuilt();
    ai = await startFakeAi({ text: 'return a + b' });
    server = await startServer({ env: ai.env });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await ai?.stop();
  });

  test('ghost text appears from the model and Tab accepts it', async () => {
    const u = await userWithProject(browser, server, { files: { 'calc.py': '# calculator\n' } });
    await openFile(u, u.projectId, 'calc.py', { lsp: true });
    await caretToEnd(u.page);
    await u.page.keyboard.type('def add(a, b):\n');
    const ghost = u.page.locator(
      '.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text',
    );
    await ghost.first().waitFor({ timeout: 20_000 });
    // Monaco splits ghost text into one span per token.
    await waitFor(
      async () =>
        (await ghost.allInnerTexts())
          .join('')
          .replace(/\u00a0/g, ' ')
          .includes('return a + b'),
      {
        message: 'the whole suggestion as ghost text',
      },
    );
    await screenshot(u.page, '12-ghost-text');
    await u.page.keyboard.press('Tab');
    // The rendered lines include ghost text: dismiss any before reading, so
    // that only text Tab really put into the document can match.
    await u.page.keyboard.press('Escape');
    await waitFor(async () => (await editorText(u.page)).includes('    return a + b'), {
      message: 'accepted ghost text in the document',
    });
    assert.ok(ai.requests.length > 0);
    assert.deepEqual(u.errors, []);
  });

  test('chat answers stream into the panel from the model', async () => {
    const u = await userWithProject(browser, server, { files: { 'calc.py': '# calculator\n' } });
    await openFile(u, u.projectId, 'calc.py');
    await u.page.getByRole('button', { name: 'AI chat' }).click();
    await u.page.getByLabel('Ask the AI').fill('How do I add two numbers?');
    await u.page.getByRole('button', { name: 'Send' }).click();
    await u.page
      .locator('.chat .msg.assistant', { hasText: 'return a + b' })
      .waitFor({ timeout: 20_000 });
    await screenshot(u.page, '13-chat');
    assert.deepEqual(u.errors, []);
  });
});
