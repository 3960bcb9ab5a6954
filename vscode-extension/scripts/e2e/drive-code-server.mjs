// Drives the DevSync extension inside a running code-server with Playwright
// in Debian's Chromium, as a person would: keyboard, command palette, pixels.
//
//   node drive-code-server.mjs config.json
//
// The config names the code-server URL, the screenshot folder and the
// workspaces; each check prints one JSON line {"check", "status", "detail"}
// on stdout ("pass" | "fail" | "skip"). For the session peer the driver
// prints {"event": "invite", "link"} and waits for one line on stdin before
// it looks for the peer's cursor.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const stdin = createInterface({ input: process.stdin });
const stdinLines = stdin[Symbol.asyncIterator]();

const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const shot = (page, name) => page.screenshot({ path: `${config.artifacts}/${name}.png` });

/** Run one check; a thrown error is a failure with a screenshot, never an abort. */
async function check(page, name, fn) {
  if (!page) return emit({ check: name, status: 'fail', detail: 'no page' });
  try {
    const detail = await fn();
    emit({ check: name, status: 'pass', detail: detail ?? '' });
    return true;
  } catch (err) {
    await shot(page, `fail-${name}`).catch(() => {});
    emit({ check: name, status: 'fail', detail: String(err?.message ?? err).slice(0, 2000) });
    return false;
  }
}

async function openWorkspace(browser, folder) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await page.goto(`${config.url}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 90_000 });
  // The status bar item appears once the extension has activated.
  await page.waitForSelector(
    '.statusbar-item[id="devsync.devsync.devsync.status"], .statusbar-item:has-text("DevSync")',
    {
      timeout: 90_000,
    },
  );
  return page;
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget:visible input', { timeout: 15_000 });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${name}")`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab.active:has-text("${name}")`, { timeout: 15_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget:visible input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Wait for the input box the extension opened (by its title), not the palette's. */
async function inputBox(page, title) {
  await page.waitForSelector(`.quick-input-widget:visible .quick-input-title:has-text("${title}")`, {
    timeout: 15_000,
  });
}

async function toast(page, pattern, timeout = 20_000) {
  const locator = page.locator('.notifications-toasts .notification-toast', { hasText: pattern });
  await locator.first().waitFor({ timeout });
  return (await locator.first().innerText()).replace(/\s+/g, ' ');
}

async function clearToasts(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

/** Sign in through the palette: keep the configured server URL, type the token. */
async function signIn(page, token) {
  await runCommand(page, 'DevSync: Sign in');
  await inputBox(page, 'DevSync: server URL');
  await page.keyboard.press('Enter');
  await inputBox(page, 'DevSync: access token');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  return toast(page, /signed in to/);
}

/** Start a function body and wait for the inline completion's ghost text. */
async function ghostText(page, expected, screenshot) {
  await page.keyboard.type('def answer():\n');
  const ghost = page.locator('.editor-instance .monaco-editor .ghost-text-decoration, .editor-instance .ghost-text');
  await ghost.first().waitFor({ timeout: 30_000 });
  const text = (await ghost.allInnerTexts()).join('').replace(/\u00a0/g, ' ');
  await shot(page, screenshot);
  if (!text.includes(expected)) throw new Error(`ghost text "${text}", expected "${expected}"`);
  await page.keyboard.press('Escape');
  return text;
}

/** Typed before Share session and never saved. */
const UNSAVED = 'unsaved_line_kept';

/** The visible text of the active editor (Monaco renders spaces as U+00A0). */
async function editorText(page) {
  const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** A decoration whose injected ::after text contains `label`, with its colours. */
async function waitForCursorLabel(page, label, timeout) {
  const handle = await page.waitForFunction(
    (text) => {
      for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-lines span')) {
        const after = getComputedStyle(el, '::after');
        if (after.content.includes(text)) return { content: after.content, background: after.backgroundColor };
      }
      return false;
    },
    label,
    { timeout },
  );
  return handle.jsonValue();
}

async function realChecks(browser) {
  const real = config.real;
  let page;
  await check(browser, 'workbench_loads', async () => {
    page = await openWorkspace(browser, real.folder);
    await openFile(page, real.file);
    await shot(page, 'real-opened');
  });

  await check(page, 'diagnostic', async () => {
    await page.waitForSelector('.editor-instance .monaco-editor .squiggly-error', { timeout: 60_000 });
    // The squiggle lies under the text layer: hover the word itself.
    await page.locator('.editor-instance .view-lines span', { hasText: real.diagnostic }).last().hover();
    const hover = page.locator('.monaco-hover:visible');
    await hover.first().waitFor({ timeout: 10_000 });
    const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
    await shot(page, 'real-diagnostic');
    if (!text.includes(real.diagnostic)) throw new Error(`hover shows "${text}", expected "${real.diagnostic}"`);
    await page.keyboard.press('Escape');
    return text.slice(0, 200);
  });

  await check(page, 'completion', async () => {
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('os.');
    const rows = page.locator('.suggest-widget.visible .monaco-list-row');
    try {
      await rows.first().waitFor({ timeout: 20_000 });
    } catch {
      await page.keyboard.press('Control+Space');
      await rows.first().waitFor({ timeout: 20_000 });
    }
    const first = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    await shot(page, 'real-completion');
    // The list is virtualised: narrow it to find `path` among os's members.
    await page.keyboard.type('pat');
    const path = page.locator('.suggest-widget.visible .monaco-list-row .label-name', { hasText: /^path$/ }).first();
    let how = 'as typed';
    try {
      await path.waitFor({ timeout: 5_000 });
    } catch {
      how = 'after Ctrl+Space';
      await page.keyboard.press('Control+Space');
      await path.waitFor({ timeout: 20_000 });
    }
    await shot(page, 'real-completion-narrowed');
    const narrowed = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    await page.keyboard.press('Escape');
    return `after "os.": ${first.slice(0, 6).join(' | ')}; after "os.pat" (${how}): ${narrowed.join(' | ')}`;
  });

  if (real.ghostText) {
    await check(page, 'inline_ghost_text', async () => {
      await page.keyboard.press('Control+Shift+K'); // drop the `os.pat` line
      return ghostText(page, real.ghostText, 'real-ghost-text');
    });
  }

  if (real.share) {
    let link;
    await check(page, 'real_sign_in', () => signIn(page, real.token));
    await check(page, 'share_session', async () => {
      // An unsaved line: sharing must merge it into the room, not drop it.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type(UNSAVED);
      await page.keyboard.press('Escape');
      await clearToasts(page);
      await runCommand(page, 'DevSync: Share session');
      const text = await toast(page, /invite link/, 30_000);
      link = /(https?:\/\/\S+)/.exec(text)?.[1];
      await shot(page, 'real-share');
      if (!link) throw new Error(`no link in "${text}"`);
      // One notification: the server's own message is turned off for VS Code.
      const server = page.locator('.notifications-toasts .notification-toast', { hasText: 'session shared' });
      if ((await server.count()) > 0) throw new Error('the server also showed "session shared": two notifications');
      const clipboard = await page.evaluate(() => navigator.clipboard.readText()).catch((e) => `unreadable: ${e}`);
      if (clipboard !== link) throw new Error(`clipboard holds "${clipboard}", toast says ${link}`);
      return link;
    });
    if (real.peerName) {
      await check(page, 'remote_cursor_from_pycrdt_peer', async () => {
        if (!link) throw new Error('no invite link, Share session failed');
        emit({ event: 'invite', link });
        const ready = await stdinLines.next();
        if (ready.done || !ready.value.startsWith('peer-ready')) throw new Error(`test harness said ${ready.value}`);
        const found = await waitForCursorLabel(page, real.peerName, 30_000);
        await shot(page, 'real-remote-cursor');
        // The document is in the room now: the unsaved line typed before
        // sharing is still in the editor (issue 8: nothing is lost).
        if (!(await editorText(page)).includes(UNSAVED)) {
          throw new Error(`the unsaved line "${UNSAVED}" is gone after sharing: ${await editorText(page)}`);
        }
        return JSON.stringify(found);
      });
      await check(page, 'real_status_bar_participants', async () => {
        const item = page.locator('.statusbar-item', { hasText: 'DevSync: 2' });
        await item.first().waitFor({ timeout: 10_000 });
        return (await item.first().innerText()).trim();
      });
    }
    await check(page, 'real_commit', async () => {
      await clearToasts(page);
      await runCommand(page, 'DevSync: Commit');
      await inputBox(page, 'DevSync: commit');
      await page.keyboard.type(real.commitMessage);
      await page.keyboard.press('Enter');
      return toast(page, /DevSync: committed [0-9a-f]{7,40}\./, 30_000);
    });
    await check(page, 'real_history_diff', async () => {
      await runCommand(page, 'DevSync: Show history');
      const item = page.locator('.sidebar .monaco-list-row', { hasText: real.commitMessage });
      await item.first().waitFor({ timeout: 20_000 });
      await shot(page, 'real-history');
      await item.first().click();
      try {
        await page.waitForSelector('.monaco-diff-editor', { timeout: 10_000 });
      } catch {
        await item.first().press('Enter'); // the first click may only focus the new view
      }
      await page.waitForFunction(
        (want) =>
          document
            .querySelector('.monaco-diff-editor')
            ?.textContent.replace(/\u00a0/g, ' ')
            .includes(want),
        real.diffText,
        { timeout: 20_000 },
      );
      await shot(page, 'real-history-diff');
      const diff = await page.locator('.monaco-diff-editor').first().innerText();
      return diff.replace(/\s+/g, ' ').slice(0, 300);
    });
  }
  await page?.context().close();
}

async function fakeChecks(browser) {
  const fake = config.fake;
  let page;
  await check(browser, 'fake_workbench_loads', async () => {
    page = await openWorkspace(browser, fake.folder);
    await openFile(page, fake.file);
  });

  await check(page, 'presence_decoration', async () => {
    const found = await waitForCursorLabel(page, 'Alice', 30_000);
    // Alice's selection (line 4, "result") is filled in her colour at 25 % alpha.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.editor-instance .view-overlays div div')].some((el) =>
          getComputedStyle(el).backgroundColor.startsWith('rgba(230, 25, 75'),
        ),
      null,
      { timeout: 10_000 },
    );
    await shot(page, 'fake-presence');
    if (!found.background.startsWith('rgb(230, 25, 75')) throw new Error(`label background ${found.background}`);
    return JSON.stringify(found);
  });

  await check(page, 'status_bar_participants', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'DevSync:' });
    await item.first().waitFor({ timeout: 10_000 });
    const text = (await item.first().innerText()).trim();
    if (!text.includes('DevSync: 2')) throw new Error(`status bar shows "${text}"`);
    return text;
  });

  await check(page, 'sign_in', () => signIn(page, fake.token));

  await check(page, 'fake_share_session', async () => {
    await clearToasts(page);
    await runCommand(page, 'DevSync: Share session');
    const text = await toast(page, /invite link copied/);
    await shot(page, 'fake-share');
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    if (!clipboard.endsWith('/join/e2e-invite-token')) throw new Error(`clipboard holds "${clipboard}"`);
    return text;
  });

  await check(page, 'follow_participant', async () => {
    await runCommand(page, 'DevSync: Follow participant');
    await inputBox(page, 'DevSync: follow participant');
    const alice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Alice' });
    await alice.first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget:visible', { state: 'hidden', timeout: 10_000 });
  });

  await check(page, 'commit', async () => {
    await clearToasts(page);
    await runCommand(page, 'DevSync: Commit');
    await inputBox(page, 'DevSync: commit');
    await page.keyboard.type(fake.commitMessage);
    await page.keyboard.press('Enter');
    return toast(page, /committed ccccccc/);
  });

  await check(page, 'history_diff', async () => {
    await runCommand(page, 'DevSync: Show history');
    const item = page.locator('.sidebar .monaco-list-row', { hasText: 'Second version of shared.py' });
    await item.first().waitFor({ timeout: 20_000 });
    await shot(page, 'fake-history');
    await item.first().click();
    await page.waitForSelector('.monaco-diff-editor', { timeout: 20_000 });
    const diff = page.locator('.monaco-diff-editor');
    await page.waitForFunction(
      (want) =>
        document
          .querySelector('.monaco-diff-editor')
          ?.textContent.replace(/\u00a0/g, ' ')
          .includes(want),
      fake.diffText,
      { timeout: 20_000 },
    );
    await shot(page, 'fake-history-diff');
    return (await diff.first().innerText()).replace(/\s+/g, ' ').slice(0, 300);
  });

  await check(page, 'explain_selection', async () => {
    await clearToasts(page);
    await runCommand(page, 'View: Close All Editors'); // the history diff had the focus
    await openFile(page, fake.file);
    await page.locator('.editor-instance .view-lines span', { hasText: 'result' }).first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await runCommand(page, 'DevSync: Explain selection (AI)');
    const text = await toast(page, /Explanation:/);
    await shot(page, 'fake-explain');
    return text;
  });

  await check(page, 'fake_inline_ghost_text', async () => {
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    return ghostText(page, 'return 42', 'fake-ghost-text');
  });

  await check(page, 'leave_session', async () => {
    await runCommand(page, 'DevSync: Leave session');
    await page.waitForFunction(
      () => ![...document.querySelectorAll('.statusbar-item')].some((el) => el.textContent.includes('DevSync:')),
      null,
      { timeout: 10_000 },
    );
    // Leaving clears the remote cursors.
    const labels = await page.evaluate(
      () =>
        [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines span')].filter((el) =>
          getComputedStyle(el, '::after').content.includes('Alice'),
        ).length,
    );
    await shot(page, 'fake-left');
    if (labels !== 0) throw new Error(`${labels} Alice labels still drawn`);
  });

  await check(page, 'join_session', async () => {
    await runCommand(page, 'DevSync: Join session');
    await inputBox(page, 'DevSync: join session');
    await page.keyboard.type(fake.inviteLink);
    await page.keyboard.press('Enter');
    const item = page.locator('.statusbar-item', { hasText: 'DevSync: 2' });
    await item.first().waitFor({ timeout: 10_000 });
    return (await item.first().innerText()).trim();
  });
  await page?.context().close();
}

const browser = await chromium.launch({ executablePath: config.chromium ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  if (config.real) await realChecks(browser);
  if (config.fake) await fakeChecks(browser);
} finally {
  await browser.close();
  stdin.close();
}
