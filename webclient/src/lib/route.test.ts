import { describe, expect, test, vi } from 'vitest';

vi.stubGlobal('window', { addEventListener: () => undefined });
const { parseRoute, workspaceUrl } = await import('./router');

describe('parseRoute', () => {
  test('deep links', () => {
    expect(parseRoute('/')).toEqual({ name: 'projects' });
    expect(parseRoute('/projects/12')).toEqual({ name: 'workspace', projectId: 12, file: null });
    expect(parseRoute('/projects/12/files/pkg/a%20b.py')).toEqual({
      name: 'workspace',
      projectId: 12,
      file: 'pkg/a b.py',
    });
    expect(parseRoute('/login', '?next=/projects/3')).toEqual({
      name: 'login',
      next: '/projects/3',
    });
    expect(parseRoute('/join/abc')).toEqual({ name: 'join', token: 'abc' });
    expect(parseRoute('/anything', '?invite=tok')).toEqual({ name: 'join', token: 'tok' });
    expect(parseRoute('/projects/x')).toEqual({ name: 'notFound' });
  });
  test('workspaceUrl round-trips', () => {
    const url = workspaceUrl(4, 'dir/my file.py');
    expect(parseRoute(url)).toEqual({ name: 'workspace', projectId: 4, file: 'dir/my file.py' });
  });
});
