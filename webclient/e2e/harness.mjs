// Browser-test harness: a real `devsync serve` on a free port with a temp data dir, and Debian's
// Chromium through playwright-core (never a downloaded browser). Used by the e2e tests and bench/web.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const webclientDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const artifacts = join(repoRoot, 'test-artifacts', 'webclient');
export const CHROMIUM = process.env.DEVSYNC_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why browser tests cannot run here, or null. With DEVSYNC_REQUIRE_ALL=1 that is a failure. */
export function missingPrerequisite() {
  if (!existsSync(CHROMIUM)) return `chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(devsyncBin())) return `devsync not installed at ${devsyncBin()} (make install)`;
  return null;
}

/**
 * The `skip` option for a browser suite: a reason when a prerequisite is missing,
 * or false. Under DEVSYNC_REQUIRE_ALL=1 a missing prerequisite is an error instead.
 */
export function suiteSkip() {
  const missing = missingPrerequisite();
  if (missing && process.env.DEVSYNC_REQUIRE_ALL === '1')
    throw new Error(`browser tests required: ${missing}`);
  return missing ? `skipped: ${missing}` : false;
}

export function devsyncBin() {
  return process.env.DEVSYNC_BIN ?? join(repoRoot, '.venv', 'bin', 'devsync');
}

export function ensureBuilt() {
  if (
    !existsSync(join(webclientDir, 'dist', 'index.html')) ||
    process.env.DEVSYNC_E2E_BUILD === '1'
  ) {
    execFileSync('npm', ['run', 'build'], { cwd: webclientDir, stdio: 'inherit' });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the server; `restart()` kills and starts it again on the same port and data dir. */
export async function startServer({ env = {}, port: fixedPort, dataDir: fixedDir } = {}) {
  const port = fixedPort ?? (await freePort());
  const dataDir = fixedDir ?? mkdtempSync(join(tmpdir(), 'devsync-e2e-'));
  const state = { proc: null, log: '' };
  const launch = async () => {
    const proc = spawn(devsyncBin(), ['serve', '--port', String(port), '--data-dir', dataDir], {
      cwd: repoRoot,
      env: { ...process.env, DEVSYNC_SAMPLE_PROJECT: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout.on('data', (d) => (state.log += d));
    proc.stderr.on('data', (d) => (state.log += d));
    state.proc = proc;
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`devsync serve exited:\n${state.log}`);
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`devsync serve did not start:\n${state.log}`);
  };
  await launch();
  const stopProc = async (signal) => {
    const proc = state.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    log: () => state.log,
    async restart({ signal = 'SIGTERM', downMs = 0 } = {}) {
      await stopProc(signal);
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    async stop() {
      await stopProc('SIGTERM');
      if (!fixedDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** A new browser context (its own cookies, no BroadcastChannel with other contexts) and page. */
export async function newUserPage(browser, { baseURL }) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, errors };
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

/** Registers (through the API, same cookie jar) and signs in through the UI form. */
export async function signUpViaUi(page, username, password = 'correct-horse-1') {
  await page.goto('/');
  await page.getByRole('button', { name: 'No account? Sign up' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
}

export async function apiAs(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers:
          typeof body === 'string'
            ? { 'Content-Type': 'text/plain' }
            : { 'Content-Type': 'application/json' },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* text */
      }
      return { status: res.status, json, text };
    },
    { method, path, body },
  );
}

/** Waits until the status bar says the active document is synced (and optionally LSP ready). */
export async function waitEditorReady(page, { lsp = false, timeout = 15_000 } = {}) {
  const sel = lsp
    ? '.statusbar[data-synced="true"][data-connection="connected"][data-lsp="ready"]'
    : '.statusbar[data-synced="true"][data-connection="connected"]';
  await page.waitForSelector(sel, { timeout });
  await page.waitForSelector('.monaco-editor .view-lines', { timeout });
}

export function editorText(page) {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.monaco-editor .view-lines .view-line')];
    return lines
      .map((l) => ({ top: parseFloat(l.style.top), text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  });
}
