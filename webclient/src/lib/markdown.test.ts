import { expect, test } from 'vitest';
import { splitCodeBlocks } from './markdown';

test('prose and code blocks', () => {
  expect(splitCodeBlocks('Try this:\n```python\nprint(1)\n```\nDone.')).toEqual([
    { text: 'Try this:\n' },
    { code: 'print(1)', lang: 'python' },
    { text: '\nDone.' },
  ]);
});

test('an unterminated fence while streaming is still code', () => {
  expect(splitCodeBlocks('```\nx = 1\n')).toEqual([{ code: 'x = 1', lang: undefined }]);
});
