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

test('the viewport comes from the room of the file the participant looks at', () => {
  const main = new Map<number, AwarenessState>([
    [2, { user: user('bob', 's2'), activeFile: 'long.py', viewport: { top: 0 } }],
  ]);
  const long = new Map<number, AwarenessState>([
    [3, { user: user('bob', 's2'), activeFile: 'long.py', viewport: { top: 2400 } }],
  ]);
  const list = mergeParticipants(
    [
      { states: main, selfId: 1, path: 'main.py' },
      { states: long, selfId: 1, path: 'long.py' },
    ],
    's1',
  );
  expect(list[0]?.viewportTop).toBe(2400);
});
