import { describe, expect, test } from 'vitest';
import { colorFor, cssString, cursorCss } from './presence';

describe('presence', () => {
  test('colours are stable per name', () => {
    expect(colorFor('alice')).toEqual(colorFor('alice'));
    expect(colorFor('alice').color).toMatch(/^#[0-9a-f]{6}$/);
  });
  test('names are quoted safely for CSS content', () => {
    expect(cssString('a"b\\c\nd')).toBe('"a\\"b\\\\c d"');
  });
  test('cursor css uses the user colour and label, rejects odd colours', () => {
    const css = cursorCss(7, { name: 'bob', color: '#112233', colorLight: '#11223333' });
    expect(css).toContain('.yRemoteSelectionHead-7::after{content:"bob"');
    expect(css).toContain('border-left:2px solid #112233');
    const evil = cursorCss(8, { name: 'x', color: 'red;}body{display:none' });
    expect(evil).not.toContain('display:none');
  });
});
