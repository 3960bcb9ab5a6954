// Shared steps of the browser tests: users, projects and files set up through the real API.
import { apiAs, newUserPage, signUpViaUi, waitEditorReady } from './harness.mjs';

let counter = 0;
export const uniqueName = (prefix) => `${prefix}${Date.now() % 1e6}${counter++}`;

export async function userWithProject(browser, server, { files = {}, name = 'demo' } = {}) {
  const u = await newUserPage(browser, { baseURL: server.url });
  const username = uniqueName('u');
  await signUpViaUi(u.page, username);
  const project = await apiAs(u.page, 'POST', '/api/projects', { name });
  if (project.status !== 201) throw new Error(`create project: ${project.status} ${project.text}`);
  for (const [path, text] of Object.entries(files)) {
    const put = await apiAs(u.page, 'PUT', `/api/projects/${project.json.id}/files/${path}`, text);
    if (put.status >= 300) throw new Error(`put ${path}: ${put.status} ${put.text}`);
  }
  return { ...u, username, projectId: project.json.id };
}

export async function openFile(user, projectId, path, { lsp = false } = {}) {
  await user.page.goto(`/projects/${projectId}/files/${path}`);
  await waitEditorReady(user.page, { lsp, timeout: 20_000 });
}

/** Clicks into the editor and moves the caret to the end of the document. */
export async function caretToEnd(page) {
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+End');
}

export async function waitFor(
  predicate,
  { timeout = 10_000, interval = 100, message = 'condition' } = {},
) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await predicate();
    if (last) return last;
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message}`);
}
