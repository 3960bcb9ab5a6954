import { describe, expect, test } from 'vitest';
import { describeDetail, encodePath } from './http';

describe('describeDetail', () => {
  test('passes a string detail through', () => {
    expect(describeDetail({ detail: 'file exists' }, 409)).toBe('file exists');
  });
  test('joins validation errors with their field', () => {
    const body = { detail: [{ loc: ['body', 'password'], msg: 'too short' }] };
    expect(describeDetail(body, 422)).toBe('password: too short');
  });
  test('falls back to the status', () => {
    expect(describeDetail(null, 500)).toBe('request failed (HTTP 500)');
  });
});

test('encodePath encodes segments, keeps slashes', () => {
  expect(encodePath('pkg/a b#.py')).toBe('pkg/a%20b%23.py');
  expect(encodePath('/x//y')).toBe('x/y');
});
