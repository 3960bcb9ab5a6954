import { describe, expect, test } from 'vitest';
import { normalizeTree, visibleRows } from './tree';

describe('normalizeTree', () => {
  test('flat list gets implicit folders, folders sort first', () => {
    const tree = normalizeTree([
      { path: 'main.py', type: 'file' },
      { path: 'pkg/util.py', type: 'file' },
    ]);
    expect(tree.map((e) => `${e.type}:${e.path}`)).toEqual([
      'dir:pkg',
      'file:pkg/util.py',
      'file:main.py',
    ]);
  });
  test('nested children and entries wrappers', () => {
    const tree = normalizeTree({
      entries: [{ name: 'a', type: 'directory', children: [{ name: 'b.py', type: 'file' }] }],
    });
    expect(tree.map((e) => e.path)).toEqual(['a', 'a/b.py']);
  });
  test('plain strings', () => {
    expect(normalizeTree(['x/y.py']).map((e) => e.path)).toEqual(['x', 'x/y.py']);
  });
});

test('visibleRows hides children of collapsed folders', () => {
  const tree = normalizeTree(['a/b.py', 'a/c/d.py', 'e.py']);
  expect(visibleRows(tree, new Set(['a'])).map((e) => e.path)).toEqual(['a', 'e.py']);
});
