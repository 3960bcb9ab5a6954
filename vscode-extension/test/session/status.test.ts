import { expect, test } from 'vitest';
import { mergeParticipants, statusView } from '../../src/session/status';

test('signed out, idle, connecting and offline read as such', () => {
  expect(statusView({ state: 'signedOut' }).text).toBe('$(account) DevSync');
  expect(statusView({ state: 'idle' }).tooltip).toMatch(/share or join/);
  expect(statusView({ state: 'connecting' }).text).toMatch(/connecting/);
  expect(statusView({ state: 'reconnecting', pendingEdits: 3 }).text).toBe(
    '$(debug-disconnect) DevSync: offline (3 edits kept)',
  );
});

test('connected: the head count includes you, the tooltip names the others', () => {
  const view = statusView({ state: 'connected', participants: [{ name: 'Alice' }, { name: 'Bob' }] });
  expect(view.text).toBe('$(broadcast) DevSync: 3');
  expect(view.tooltip).toBe('DevSync: in a session with Alice, Bob.');
  expect(statusView({ state: 'connected' }).tooltip).toMatch(/nobody else/);
});

test('participants known only from presence are added once', () => {
  const present = [
    { key: '1', name: 'Alice', colour: '#e6194b', uri: 'file:///a', cursor: undefined, ranges: [] },
    { key: '2', name: 'Bob', colour: '#3cb44b', uri: 'file:///a', cursor: undefined, ranges: [] },
  ];
  expect(mergeParticipants([{ id: 1, name: 'Alice' }], present)).toEqual([
    { id: 1, name: 'Alice' },
    { id: '2', name: 'Bob', colour: '#3cb44b' },
  ]);
});
