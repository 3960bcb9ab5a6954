import { describe, expect, test } from 'vitest';
import {
  commitArgs,
  followArgs,
  historyArgs,
  inviteLinkFrom,
  joinArgs,
  parseHistory,
  shareArgs,
  signInArgs,
  toCommit,
} from '../src/commandArgs';

describe('command arguments (positional, as pygls unpacks them)', () => {
  test('signIn: server URL without trailing slash, token trimmed', () => {
    expect(signInArgs('http://devsync.local:8000/', ' tok ')).toEqual(['http://devsync.local:8000', 'tok']);
  });

  test('shareSession: the role', () => {
    expect(shareArgs('viewer')).toEqual(['viewer']);
  });

  test('joinSession: an invite link (even in angle brackets) or a bare token', () => {
    expect(joinArgs('  <http://h:8000/join/abc_DEF-1>  ')).toEqual(['http://h:8000/join/abc_DEF-1']);
    expect(joinArgs('dsi_abc-DEF_123')).toEqual(['dsi_abc-DEF_123']);
    expect(joinArgs('')).toBeUndefined();
    expect(joinArgs('not a token')).toBeUndefined();
    expect(joinArgs('http://')).toBeUndefined();
  });

  test('followParticipant: the id, else the name', () => {
    expect(followArgs({ id: 42, name: 'Bob' })).toEqual(['42']);
    expect(followArgs({ name: 'Bob' })).toEqual(['Bob']);
  });

  test('commit: a non-empty message', () => {
    expect(commitArgs('  Fix it \n')).toEqual(['Fix it']);
    expect(commitArgs('   ')).toBeUndefined();
  });

  test('history: the document URI, or null for the project', () => {
    expect(historyArgs('file:///w/a.py')).toEqual(['file:///w/a.py']);
    expect(historyArgs(undefined)).toEqual([null]);
  });
});

describe('command results', () => {
  test('the invite link, whatever shape the server answers in', () => {
    expect(inviteLinkFrom('http://x/join/t')).toBe('http://x/join/t');
    expect(inviteLinkFrom({ inviteLink: 'http://x/1' })).toBe('http://x/1');
    expect(inviteLinkFrom({ invite_link: 'http://x/2' })).toBe('http://x/2');
    expect(inviteLinkFrom({})).toBeUndefined();
    expect(inviteLinkFrom(null)).toBeUndefined();
  });

  test('history: snake_case commits from the server API', () => {
    const history = parseHistory({
      projectId: 3,
      path: 'app.py',
      commits: [
        {
          sha: 'f'.repeat(40),
          short_sha: 'fffffff',
          summary: 'Add app',
          author_name: 'Ada',
          authored_at: '2026-11-27T08:00:00Z',
          parents: ['e'.repeat(40)],
        },
        { nonsense: true },
      ],
    });
    expect(history.projectId).toBe('3');
    expect(history.commits).toHaveLength(1);
    expect(toCommit(history.commits[0]!)).toEqual({
      sha: 'f'.repeat(40),
      shortSha: 'fffffff',
      summary: 'Add app',
      author: 'Ada',
      date: '2026-11-27T08:00:00Z',
      parent: 'e'.repeat(40),
    });
  });

  test('history: camelCase and a root commit', () => {
    const commit = toCommit({ sha: 'abcdef0123', message: 'First\n\nbody', authorName: 'Bob', parents: [] });
    expect(commit).toMatchObject({ shortSha: 'abcdef0', summary: 'First', author: 'Bob', parent: undefined });
  });

  test('history: a malformed result says why', () => {
    expect(() => parseHistory(null)).toThrow(/expected an object/);
    expect(() => parseHistory({ commits: [] })).toThrow(/projectId/);
    expect(() => parseHistory({ projectId: '1' })).toThrow(/commits/);
  });
});
