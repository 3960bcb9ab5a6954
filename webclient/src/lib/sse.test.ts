import { describe, expect, test } from 'vitest';
import { chatDelta, chatError, SseParser } from './sse';

describe('SseParser', () => {
  test('events split across chunks', () => {
    const p = new SseParser();
    expect(p.push('data: {"delta":"he')).toEqual([]);
    expect(p.push('llo"}\n\nevent: error\ndata: boom\n')).toEqual([
      { event: 'message', data: '{"delta":"hello"}' },
    ]);
    expect(p.push('\n: comment\n')).toEqual([{ event: 'error', data: 'boom' }]);
  });
  test('CRLF and multi-line data', () => {
    const p = new SseParser();
    expect(p.push('data: a\r\ndata: b\r\n\r\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('chatDelta', () => {
  test('shapes', () => {
    expect(chatDelta('{"delta":"x"}')).toBe('x');
    expect(chatDelta('{"choices":[{"delta":{"content":"y"}}]}')).toBe('y');
    expect(chatDelta('plain words')).toBe('plain words');
    expect(chatDelta('[DONE]')).toBeNull();
  });
  test('errors', () => {
    expect(chatError('{"detail":"AI is not configured"}')).toBe('AI is not configured');
  });
});
