// Browser tests of the web client against a real `devsync serve` (see harness.mjs).
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

const MAIN_PY =
  'import os\n\n\ndef greet(name):\n    return "hello " + name\n\n\nprint(greet(os.getcwd()))\n';

describe('web client in Chromium', { skip }, () => {
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
    await browser?.close();
    await server?.stop();
  });

  test('sign up, create a project, open a file', async () => {
    const u = track(await newUserPage(browser, { baseURL: server.url }));
    await signUpViaUi(u.page, uniqueName('new'));
    await screenshot(u.page, '01-projects');
    await u.page.getByLabel('New project name').fill('first project');
    await u.page.getByRole('button', { name: 'Create project' }).click();
    await u.page.waitForURL(/\/projects\/\d+$/);
    await u.page.locator('.tree li', { hasText: 'README.md' }).click();
    await waitEditorReady(u.page);
    assert.match(u.page.url(), /\/projects\/\d+\/files\/README\.md$/);
    await screenshot(u.page, '02-workspace');
    assert.deepEqual(u.errors, []);
  });

  test('file tree: create (empty file syncs), rename, and a server error is shown', async () => {
    const u = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    await u.page.goto(`/projects/${u.projectId}`);
    await u.page.locator('.tree li', { hasText: 'main.py' }).waitFor();
    const answers = ['pkg/new_module.py'];
    u.page.on('dialog', (d) => void d.accept(answers.shift() ?? ''));
    await u.page.getByRole('button', { name: 'New file' }).click();
    await u.page.locator('.tree li[data-path="pkg/new_module.py"]').waitFor();
    await waitEditorReady(u.page); // an empty document still reports "synced"
    assert.match(u.page.url(), /\/files\/pkg\/new_module\.py$/);
    answers.push('pkg/renamed.py');
    await u.page.getByRole('button', { name: 'Rename' }).click();
    await u.page.locator('.tree li[data-path="pkg/renamed.py"]').waitFor();
    answers.push('../outside.py');
    await u.page.locator('.tree li[data-path="main.py"]').click();
    await u.page.getByRole('button', { name: 'Rename' }).click();
    await u.page.locator('.tree [role="alert"]').waitFor();
    await screenshot(u.page, '02b-tree-error');
    // 4xx answers the UI shows are logged by the browser; nothing else may be.
    assert.deepEqual(
      u.errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
    );
  });

  test("two users edit one file and see each other's text and named cursor", async () => {
    const a = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    const b = track(await newUserPage(browser, { baseURL: server.url }));
    const bobName = uniqueName('bob');
    await signUpViaUi(b.page, bobName);
    const added = await apiAs(a.page, 'POST', `/api/projects/${a.projectId}/members`, {
      username: bobName,
      role: 'editor',
    });
    assert.equal(added.status, 201);
    await openFile(a, a.projectId, 'main.py');
    await openFile(b, a.projectId, 'main.py');
    await caretToEnd(a.page);
    await a.page.keyboard.type('x = 1  # alice\n');
    await b.page.click('.monaco-editor .view-lines');
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.type('# bob was here\n');
    for (const u of [a, b]) {
      await waitFor(
        async () => {
          const t = await editorText(u.page);
          return t.includes('# bob was here') && t.includes('x = 1  # alice');
        },
        { message: 'both edits in both browsers' },
      );
    }
    // editorText reads each page's rendered lines, and a page in the
    // background renders on its own (throttled) frames: one browser showed
    // Bob's text before the line break it came with. Converged means both
    // show the same text within the wait; a real divergence still fails here.
    await waitFor(async () => (await editorText(a.page)) === (await editorText(b.page)), {
      message: 'both browsers to show the same text',
    }).catch(() => {});
    assert.equal(await editorText(a.page), await editorText(b.page));
    // Alice sees Bob's caret labelled with his name (y-monaco decoration + our CSS).
    const label = await waitFor(
      () =>
        a.page.evaluate(() => {
          const head = document.querySelector('.yRemoteSelectionHead');
          return head ? getComputedStyle(head, '::after').content : null;
        }),
      { message: "remote cursor in alice's editor" },
    );
    assert.equal(label, `"${bobName}"`);
    await waitFor(
      async () => (await a.page.locator('.statusbar .here').innerText()).includes(bobName),
      {
        message: 'bob in the status bar',
      },
    );
    await screenshot(a.page, '03-coedit-alice');
    await screenshot(b.page, '04-coedit-bob');
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
  });

  test('completion list appears after `os.`', async () => {
    const u = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretToEnd(u.page);
    await u.page.keyboard.type('os.getc');
    const row = u.page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'getcwd' });
    await row.first().waitFor({ timeout: 15_000 });
    await screenshot(u.page, '05-completion');
    await u.page.keyboard.press('Enter');
    await waitFor(async () => (await editorText(u.page)).includes('os.getcwd'), {
      message: 'accepted completion',
    });
    assert.deepEqual(u.errors, []);
  });

  test('a diagnostic marker and a problem appear for an undefined name', async () => {
    const u = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await caretToEnd(u.page);
    await u.page.keyboard.type('print(undefined_thing)\n');
    await u.page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 15_000 });
    await u.page.getByRole('button', { name: 'Problems' }).click();
    await u.page.locator('.problems .problem', { hasText: 'undefined_thing' }).first().waitFor();
    await screenshot(u.page, '06-diagnostic');
    assert.deepEqual(u.errors, []);
  });

  test('commit, then the history lists it and the diff view opens', async () => {
    const u = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    await openFile(u, u.projectId, 'main.py');
    await caretToEnd(u.page);
    await u.page.keyboard.type('answer = 42\n');
    await u.page.getByRole('button', { name: 'History' }).click();
    await u.page.getByRole('button', { name: 'Commit…' }).click();
    await u.page.getByLabel('Message').fill('Add the answer');
    await screenshot(u.page, '07-commit-dialog');
    await u.page
      .getByRole('dialog', { name: 'Commit' })
      .getByRole('button', { name: 'Commit' })
      .click();
    const item = u.page.locator('.commits li', { hasText: 'Add the answer' });
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    const file = u.page.locator('.commit-file[data-path="main.py"]');
    await file.waitFor();
    await file.getByRole('button', { name: 'Diff' }).click();
    await u.page.locator('.monaco-diff-editor').waitFor();
    await waitFor(
      () =>
        u.page
          .locator('.monaco-diff-editor .modified-in-monaco-diff-editor .view-lines')
          .innerText()
          .then((t) => t.replace(/\u00a0/g, ' ').includes('answer = 42')),
      { message: 'the committed line in the diff' },
    );
    await screenshot(u.page, '08-diff');
    assert.deepEqual(u.errors, []);
  });

  test("undo reverts only my own edits, never a peer's", async () => {
    const a = track(await userWithProject(browser, server, { files: { 'main.py': 'base = 0\n' } }));
    const b = track(await newUserPage(browser, { baseURL: server.url }));
    const bobName = uniqueName('bob');
    await signUpViaUi(b.page, bobName);
    await apiAs(a.page, 'POST', `/api/projects/${a.projectId}/members`, {
      username: bobName,
      role: 'editor',
    });
    await openFile(a, a.projectId, 'main.py');
    await openFile(b, a.projectId, 'main.py');
    await caretToEnd(a.page);
    await a.page.keyboard.type('mine = 1');
    await waitFor(async () => (await editorText(b.page)).includes('mine = 1'), {
      message: 'alice text at bob',
    });
    await b.page.click('.monaco-editor .view-lines');
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.type('# theirs\n');
    await waitFor(async () => (await editorText(a.page)).includes('# theirs'), {
      message: 'bob text at alice',
    });
    await a.page.keyboard.press('Control+z');
    await waitFor(
      async () => {
        const t = await editorText(a.page);
        return !t.includes('mine = 1') && t.includes('# theirs') && t.includes('base = 0');
      },
      { message: "alice's undo removing only her text" },
    );
    await a.page.keyboard.press('Control+y');
    await waitFor(async () => (await editorText(b.page)).includes('mine = 1'), {
      message: 'redo reaching bob',
    });
  });

  test('go to definition opens a read-only library file', async () => {
    const u = track(
      await userWithProject(browser, server, { files: { 'main.py': 'import os\nos.getcwd()\n' } }),
    );
    await openFile(u, u.projectId, 'main.py', { lsp: true });
    await u.page.click('.monaco-editor .view-lines');
    await u.page.keyboard.press('Control+Home');
    await u.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 4; i++) await u.page.keyboard.press('ArrowRight');
    await u.page.keyboard.press('F12');
    const tab = u.page.locator('.tab.active', { hasText: 'RO' });
    await tab.waitFor({ timeout: 15_000 });
    assert.match(await tab.getAttribute('title'), /^devsync-lib:\/\/\//);
    await waitFor(async () => (await editorText(u.page)).includes('def getcwd'), {
      message: 'library source shown',
    });
    await u.page.keyboard.type('zzz');
    assert.ok(!(await editorText(u.page)).includes('zzz'), 'library files are read-only');
    await screenshot(u.page, '05b-definition-library');
  });

  test('a viewer who joins by invite link cannot type', async () => {
    const owner = track(await userWithProject(browser, server, { files: { 'main.py': MAIN_PY } }));
    const created = await apiAs(owner.page, 'POST', `/api/projects/${owner.projectId}/sessions`, {
      role: 'viewer',
    });
    assert.equal(created.status, 201, created.text);
    const viewer = track(await newUserPage(browser, { baseURL: server.url }));
    await signUpViaUi(viewer.page, uniqueName('viewer'));
    await viewer.page.goto(new URL(created.json.invite_url).pathname);
    await viewer.page.waitForURL(new RegExp(`/projects/${owner.projectId}$`));
    await openFile(owner, owner.projectId, 'main.py');
    await openFile(viewer, owner.projectId, 'main.py');
    const before = await editorText(viewer.page);
    await viewer.page.click('.monaco-editor .view-lines');
    await viewer.page.keyboard.type('zzz');
    await viewer.page.waitForTimeout(500);
    assert.equal(await editorText(viewer.page), before);
    assert.ok(!(await editorText(owner.page)).includes('zzz'));
    assert.match(await viewer.page.locator('.statusbar').innerText(), /Viewer \(read-only\)/);
    await screenshot(viewer.page, '09-viewer');
    // The owner's edits still reach the viewer.
    await caretToEnd(owner.page);
    await owner.page.keyboard.type('seen_by_viewer = True\n');
    await waitFor(async () => (await editorText(viewer.page)).includes('seen_by_viewer'), {
      message: 'owner edit at viewer',
    });
  });

  after(async () => {
    for (const c of contexts) await c.context.close().catch(() => undefined);
  });
});
