// Language features and workspace features as a user reaches them in the browser: keyboard
// shortcuts, the mouse, the context menu and the presence bar, against a real `devsync serve`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  apiAs,
  editorText,
  ensureBuilt,
  launchBrowser,
  newUserPage,
  screenshot,
  signUpViaUi,
  startServer,
  suiteSkip,
  waitEditorReady,
} from './harness.mjs';
import { caretToEnd, openFile, uniqueName, userWithProject, waitFor } from './scenario.mjs';

const skip = suiteSkip();

const MAIN_PY = [
  'from util import helper',
  '',
  '',
  'def greet(name):',
  '    """Say hello to someone."""',
  '    return "hello " + name',
  '',
  '',
  'message = greet(helper())',
  'print(message, greet("again"))',
  '',
].join('\n');
const UTIL_PY = 'def helper():\n    return "world"\n';
const FILES = { 'main.py': MAIN_PY, 'util.py': UTIL_PY };

/** Moves the caret with Monaco's own "Go to Line/Column" (Ctrl+G), as a user would. */
async function caretAt(page, line, column) {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Right-clicks the text and picks `label` from Monaco's context menu. Monaco ignores a release
 * that comes right after the menu opened (the end of the right-click), so pause as a person does.
 */
async function contextMenu(page, label, { screenshotAs } = {}) {
  await page.click('.monaco-editor .view-lines', { button: 'right' });
  const item = page.locator('.monaco-menu .action-label', { hasText: label });
  await item.waitFor({ timeout: 10_000 });
  if (screenshotAs) await screenshot(page, screenshotAs);
  await item.hover();
  await page.waitForTimeout(300);
  await item.click();
  await page.locator('.monaco-menu').waitFor({ state: 'hidden' });
}

const activeTab = (page) => page.locator('.tab.active').getAttribute('title');

describe('language and workspace features in Chromium', { skip }, () => {
  let server;
  let browser;
  const contexts = [];
  const track = (u) => (contexts.push(u), u);

  before(async () => {
    ensureBuilt();
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  test('hover shows the docstring, from the keyboard (Ctrl+K Ctrl+I) and the mouse', async () => {
    const u = track(await userWithProject(browser, server, { files: FILES }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretAt(u.page, 9, 12); // message = gr|eet(...)
    await u.page.keyboard.press('Control+k');
    await u.page.keyboard.press('Control+i');
    const hover = u.page.locator('.monaco-hover', { hasText: 'Say hello to someone' });
    await hover.first().waitFor({ timeout: 15_000 });
    await screenshot(u.page, '10-hover');
    await u.page.keyboard.press('Escape');
    await hover.first().waitFor({ state: 'hidden' });
    // The mouse: rest the pointer on `greet` in the call.
    // One token span holds `message = greet`: point at its last characters.
    const span = u.page.locator('.view-lines .view-line span span', {
      hasText: /^message.=.greet$/,
    });
    const box = await span.boundingBox();
    await u.page.mouse.move(box.x + box.width - 10, box.y + box.height / 2);
    await hover.first().waitFor({ timeout: 15_000 });
    assert.deepEqual(u.errors, []);
  });

  test('signature help appears while typing a call', async () => {
    const u = track(await userWithProject(browser, server, { files: FILES }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretToEnd(u.page);
    await u.page.keyboard.type('greet(');
    const hints = u.page.locator('.parameter-hints-widget', { hasText: 'name' });
    await hints.first().waitFor({ timeout: 15_000 });
    assert.match(await hints.first().innerText(), /greet\(name\)/);
    await screenshot(u.page, '11-signature-help');
    assert.deepEqual(u.errors, []);
  });

  test('go to definition (F12) opens the project file; references (Shift+F12) list uses', async () => {
    const u = track(await userWithProject(browser, server, { files: FILES }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretAt(u.page, 4, 6); // def gr|eet
    await u.page.keyboard.press('Shift+F12');
    const peek = u.page.locator('.peekview-widget');
    await peek.waitFor({ timeout: 15_000 });
    await waitFor(async () => /References \(3\)/.test(await peek.innerText()), {
      message: 'the definition and both calls in the peek view',
    });
    await screenshot(u.page, '12-references');
    await u.page.keyboard.press('Escape');
    await peek.waitFor({ state: 'hidden' });
    await caretAt(u.page, 9, 19); // greet(hel|per())
    await u.page.keyboard.press('F12');
    await waitFor(async () => (await activeTab(u.page)) === 'util.py', {
      timeout: 15_000,
      message: 'util.py active after go to definition',
    });
    await waitFor(async () => (await editorText(u.page)).includes('def helper'), {
      message: 'util.py shown',
    });
    assert.match(u.page.url(), /\/files\/util\.py$/);
    assert.deepEqual(u.errors, []);
  });

  test('rename (F2) renames the definition and its use, and a peer sees it', async () => {
    const a = track(await userWithProject(browser, server, { files: FILES }));
    const b = track(await newUserPage(browser, { baseURL: server.url }));
    const bobName = uniqueName('bob');
    await signUpViaUi(b.page, bobName);
    await apiAs(a.page, 'POST', `/api/projects/${a.projectId}/members`, {
      username: bobName,
      role: 'editor',
    });
    await openFile(a, a.projectId, 'main.py', { lsp: true });
    await openFile(b, a.projectId, 'main.py');
    await caretAt(a.page, 4, 6);
    await a.page.keyboard.press('F2');
    const input = a.page.locator('.rename-box .rename-input');
    await input.waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), 'greet');
    await screenshot(a.page, '13-rename');
    await input.fill('welcome');
    await a.page.keyboard.press('Enter');
    for (const u of [a, b]) {
      await waitFor(
        async () => {
          const t = await editorText(u.page);
          return (
            t.includes('def welcome(name)') &&
            t.includes('= welcome(helper())') &&
            t.includes('welcome("again")')
          );
        },
        { timeout: 15_000, message: 'the renamed definition and call' },
      );
    }
    assert.ok(!(await editorText(b.page)).includes('greet'));
    assert.deepEqual(a.errors, []);
  });

  test('outline: Ctrl+Shift+O lists the symbols and jumps to one', async () => {
    const u = track(await userWithProject(browser, server, { files: FILES }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretToEnd(u.page);
    await u.page.keyboard.press('Control+Shift+o');
    const rows = u.page.locator('.quick-input-widget .monaco-list-row');
    await rows.filter({ hasText: 'greet' }).first().waitFor({ timeout: 15_000 });
    const labels = await rows.allInnerTexts();
    assert.ok(
      labels.some((l) => l.includes('message')),
      labels.join(' | '),
    );
    await screenshot(u.page, '14-outline');
    await u.page.keyboard.type('greet');
    await u.page.keyboard.press('Enter');
    await u.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The caret is now on the definition: typing there lands on line 4.
    await u.page.keyboard.press('Home');
    await u.page.keyboard.type('# outline\n');
    await waitFor(async () => (await editorText(u.page)).split('\n')[3] === '# outline', {
      message: 'caret moved to the definition of greet',
    });
    assert.deepEqual(u.errors, []);
  });

  test('format document from the context menu and from the keyboard (Ctrl+Shift+I)', async () => {
    const u = track(
      await userWithProject(browser, server, { files: { 'fmt.py': 'x=1\ny = [1,2 ,3]\n' } }),
    );
    await openFile(u, u.projectId, 'fmt.py', { lsp: true });
    await contextMenu(u.page, 'Format Document', { screenshotAs: '15-context-menu' });
    await waitFor(async () => (await editorText(u.page)).startsWith('x = 1\ny = [1, 2, 3]'), {
      timeout: 15_000,
      message: 'formatted text',
    });
    // Unformat a line again and use the keyboard.
    await caretToEnd(u.page);
    await u.page.keyboard.type('z=2');
    await u.page.keyboard.press('Control+Shift+i');
    await waitFor(async () => (await editorText(u.page)).includes('z = 2'), {
      timeout: 15_000,
      message: 'formatted by keyboard',
    });
    assert.deepEqual(u.errors, []);
  });

  test('code actions: Organize Imports (Shift+Alt+O) and the Source Action menu', async () => {
    const u = track(
      await userWithProject(browser, server, {
        files: { 'imp.py': 'import sys\nimport os\n\nprint(os.sep, sys.argv)\n' },
      }),
    );
    await openFile(u, u.projectId, 'imp.py', { lsp: true });
    await caretToEnd(u.page);
    await contextMenu(u.page, 'Source Action');
    const action = u.page.locator('.action-widget .monaco-list-row.action', {
      hasText: 'Organize',
    });
    await action.first().waitFor({ timeout: 15_000 });
    await screenshot(u.page, '16-source-action');
    await u.page.keyboard.press('Escape');
    await action.first().waitFor({ state: 'hidden' });
    await u.page.keyboard.press('Shift+Alt+o');
    await waitFor(async () => (await editorText(u.page)).startsWith('import os\nimport sys\n'), {
      timeout: 15_000,
      message: 'imports sorted',
    });
    assert.deepEqual(u.errors, []);
  });

  test('open tabs come back after a reload', async () => {
    const u = track(await userWithProject(browser, server, { files: FILES }));
    await openFile(u, u.projectId, 'main.py');
    await u.page.locator('.tree li[data-path="util.py"]').click();
    await waitFor(async () => (await activeTab(u.page)) === 'util.py', { message: 'util.py' });
    await u.page.reload();
    await waitEditorReady(u.page);
    await waitFor(
      async () =>
        (await u.page.locator('.tab').evaluateAll((tabs) => tabs.map((t) => t.title)))
          .sort()
          .join() === 'main.py,util.py',
      { message: 'both tabs restored' },
    );
    assert.equal(await activeTab(u.page), 'util.py');
    assert.ok((await editorText(u.page)).includes('def helper'));
    // A closed tab stays closed.
    await u.page.getByRole('button', { name: 'Close main.py' }).click();
    await u.page.reload();
    await waitEditorReady(u.page);
    await u.page.waitForTimeout(500);
    assert.deepEqual(await u.page.locator('.tab').evaluateAll((tabs) => tabs.map((t) => t.title)), [
      'util.py',
    ]);
    await screenshot(u.page, '17-tabs-restored');
    assert.deepEqual(u.errors, []);
  });

  test('follow a participant: their file and scroll position become mine', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line_${i} = ${i}`).join('\n');
    const a = track(
      await userWithProject(browser, server, { files: { ...FILES, 'long.py': `${lines}\n` } }),
    );
    const b = track(await newUserPage(browser, { baseURL: server.url }));
    const bobName = uniqueName('bob');
    await signUpViaUi(b.page, bobName);
    await apiAs(a.page, 'POST', `/api/projects/${a.projectId}/members`, {
      username: bobName,
      role: 'editor',
    });
    await openFile(a, a.projectId, 'main.py');
    await openFile(b, a.projectId, 'main.py');
    const follow = b.page.locator(`.presence button[title^="Follow ${a.username}"]`);
    await follow.waitFor();
    await follow.click();
    await b.page.locator('.presence button.following').waitFor();
    await a.page.locator('.tree li[data-path="long.py"]').click();
    await waitFor(async () => (await activeTab(b.page)) === 'long.py', {
      timeout: 15_000,
      message: "bob's editor following alice to long.py",
    });
    await caretAt(a.page, 150, 1);
    await waitFor(async () => (await editorText(b.page)).includes('line_150 = 150'), {
      timeout: 15_000,
      message: "bob's editor scrolled with alice's",
    });
    await screenshot(b.page, '18-following');
    await b.page.locator(`.presence button[title="Stop following ${a.username}"]`).click();
    await b.page.locator('.presence button.following').waitFor({ state: 'hidden' });
    await a.page.locator('.tree li[data-path="util.py"]').click();
    await b.page.waitForTimeout(800);
    assert.equal(await activeTab(b.page), 'long.py', 'no longer following');
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  });
});
