import { describe, expect, test } from 'vitest';
import { PALETTE, PresenceModel, foregroundFor, normaliseColour, sameUri } from '../../src/presence/model';
import type { PresenceParams } from '../../src/protocol';

const URI = 'file:///work/app.py';
const alice = { id: 7, name: 'Alice', colour: '#E6194B' };
const pos = (line: number, character: number) => ({ line, character });

function presence(over: Partial<PresenceParams> = {}): PresenceParams {
  return { user: alice, uri: URI, cursor: pos(1, 4), ranges: [{ start: pos(2, 0), end: pos(2, 6) }], ...over };
}

describe('presence to decorations', () => {
  test('a cursor and a selection become a caret and a translucent fill in the colour', () => {
    const model = new PresenceModel();
    model.update(presence());
    expect(model.decorationsFor(URI, true)).toEqual([
      {
        key: '7',
        colour: '#e6194b',
        selectionColour: '#e6194b40',
        label: 'Alice',
        labelForeground: '#ffffff',
        caret: pos(1, 4),
        selections: [{ start: pos(2, 0), end: pos(2, 6) }],
      },
    ]);
  });

  test('labels can be turned off', () => {
    const model = new PresenceModel();
    model.update(presence());
    expect(model.decorationsFor(URI, false)[0]?.label).toBeUndefined();
  });

  test('only the document the participant is in gets decorations', () => {
    const model = new PresenceModel();
    model.update(presence());
    expect(model.decorationsFor('file:///work/other.py', true)).toEqual([]);
  });

  test('empty selections are dropped and the caret falls back to the selection end', () => {
    const model = new PresenceModel();
    model.update(presence({ cursor: null, ranges: [{ start: pos(3, 2), end: pos(3, 2) }] }));
    const [spec] = model.decorationsFor(URI, true);
    expect(spec?.selections).toEqual([]);
    expect(spec?.caret).toEqual(pos(3, 2));
  });

  test('backwards selections are ordered', () => {
    const model = new PresenceModel();
    model.update(presence({ ranges: [{ start: pos(5, 3), end: pos(4, 1) }] }));
    expect(model.decorationsFor(URI, true)[0]?.selections).toEqual([{ start: pos(4, 1), end: pos(5, 3) }]);
  });

  test('a later update moves the participant; uri null removes them', () => {
    const model = new PresenceModel();
    model.update(presence());
    model.update(presence({ uri: 'file:///work/b.py' }));
    expect(model.decorationsFor(URI, true)).toEqual([]);
    expect(model.decorationsFor('file:///work/b.py', true)).toHaveLength(1);
    model.update({ user: alice, uri: null });
    expect(model.keys()).toEqual([]);
  });

  test('participants are told apart by id, and by name without one', () => {
    const model = new PresenceModel();
    model.update(presence());
    model.update(presence({ user: { id: 8, name: 'Alice' } }));
    model.update(presence({ user: { name: 'Bob' } }));
    expect(model.keys().sort()).toEqual(['7', '8', 'Bob']);
  });

  test('retain forgets participants who left the session', () => {
    const model = new PresenceModel();
    model.update(presence());
    model.update(presence({ user: { id: 9, name: 'Bob' } }));
    model.retain(['9']);
    expect(model.keys()).toEqual(['9']);
  });
});

describe('colours', () => {
  test('short and long hex colours are normalised, anything else gets a stable palette colour', () => {
    expect(normaliseColour('#ABC', 'k')).toBe('#aabbcc');
    expect(normaliseColour(' #A1B2C3 ', 'k')).toBe('#a1b2c3');
    const fallback = normaliseColour('red;}body{display:none', 'bob');
    expect(PALETTE).toContain(fallback);
    expect(normaliseColour(undefined, 'bob')).toBe(fallback);
  });

  test('the American key is accepted', () => {
    const model = new PresenceModel();
    model.update(presence({ user: { id: 1, name: 'Ann', color: '#112233' } }));
    expect(model.decorationsFor(URI, true)[0]?.colour).toBe('#112233');
  });

  test('label text is black on light colours and white on dark ones', () => {
    expect(foregroundFor('#ffff00')).toBe('#000000');
    expect(foregroundFor('#000080')).toBe('#ffffff');
  });
});

test('URIs that differ only in encoding or drive-letter case are the same document', () => {
  expect(sameUri('file:///c%3A/x/a.py', 'file:///C:/x/a.py')).toBe(true);
  expect(sameUri('file:///x/a%20b.py', 'file:///x/a b.py')).toBe(true);
  expect(sameUri('file:///x/a.py', 'file:///x/b.py')).toBe(false);
});
