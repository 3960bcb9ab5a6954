import { expect, test } from 'vitest';
import { mergeParticipants, type AwarenessState } from './participants';

const user = (name: string, sid: string) => ({
  id: 1,
  name,
  sid,
  color: '#111111',
  colorLight: '#11111133',
});

test('one entry per tab across rooms, self first', () => {
  const a = new Map<number, AwarenessState>([
    [1, { user: user('me', 's1'), activeFile: 'a.py' }],
    [2, { user: user('bob', 's2'), activeFile: 'b.py', viewport: { top: 10 } }],
  ]);
  const b = new Map<number, AwarenessState>([
    [3, { user: user('bob', 's2'), activeFile: 'b.py' }],
    [4, { user: user('amy', 's3') }],
    [5, {}],
  ]);
  const list = mergeParticipants(
    [
      { states: a, selfId: 1 },
      { states: b, selfId: 9 },
    ],
    's1',
  );
  expect(list.map((p) => p.user.name)).toEqual(['me', 'amy', 'bob']);
  expect(list.find((p) => p.user.name === 'bob')?.viewportTop).toBe(10);
});
