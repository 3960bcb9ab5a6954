import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttleSelection } from './throttle';

class FakeAwareness {
  sets: [string, unknown][] = [];
  doc = { clientID: 7 };
  setLocalStateField(field: string, value: unknown) {
    this.sets.push([field, value]);
  }
  getStates() {
    return new Map([[this.doc.clientID, {}]]);
  }
}

describe('throttleSelection', () => {
  afterEach(() => vi.useRealTimers());

  it('sends the first selection at once and coalesces the rest into one trailing update', () => {
    vi.useFakeTimers();
    let t = 0;
    const raw = new FakeAwareness();
    const { awareness } = throttleSelection(raw, 100, () => t);
    awareness.setLocalStateField('selection', 1);
    expect(raw.sets).toEqual([['selection', 1]]);
    for (let i = 2; i <= 5; i++) {
      t += 20;
      awareness.setLocalStateField('selection', i);
    }
    expect(raw.sets).toHaveLength(1);
    t = 100;
    vi.advanceTimersByTime(100);
    expect(raw.sets).toEqual([
      ['selection', 1],
      ['selection', 5],
    ]);
  });

  it('does not send a selection equal to the last one sent', () => {
    vi.useFakeTimers();
    let t = 0;
    const raw = new FakeAwareness();
    const { awareness } = throttleSelection(raw, 100, () => t);
    awareness.setLocalStateField('selection', { anchor: 1 });
    t = 200;
    awareness.setLocalStateField('selection', { anchor: 1 });
    t = 400;
    awareness.setLocalStateField('selection', { anchor: 2 });
    expect(raw.sets).toEqual([
      ['selection', { anchor: 1 }],
      ['selection', { anchor: 2 }],
    ]);
  });

  it('passes other fields and methods through untouched', () => {
    const raw = new FakeAwareness();
    const { awareness } = throttleSelection(raw, 100, () => 0);
    awareness.setLocalStateField('selection', 1);
    awareness.setLocalStateField('activeFile', 'a.py');
    expect(raw.sets).toEqual([
      ['selection', 1],
      ['activeFile', 'a.py'],
    ]);
    expect(awareness.getStates().has(7)).toBe(true);
    expect(awareness.doc.clientID).toBe(7);
  });

  it('drops a pending update after dispose', () => {
    vi.useFakeTimers();
    let t = 0;
    const raw = new FakeAwareness();
    const throttled = throttleSelection(raw, 100, () => t);
    throttled.awareness.setLocalStateField('selection', 1);
    t = 10;
    throttled.awareness.setLocalStateField('selection', 2);
    throttled.dispose();
    vi.advanceTimersByTime(200);
    expect(raw.sets).toEqual([['selection', 1]]);
  });
});
