/**
 * Cursor awareness at most every `intervalMs`: y-monaco sets the `selection` field on every caret
 * move (every keystroke), and each set is one WebSocket message to the server and to every peer.
 * The first change goes out at once, later ones within the interval are coalesced into one
 * trailing update carrying the newest selection; a selection equal to the last one sent (the
 * caret of a peer who is only watching, re-set after each remote edit) is not sent again.
 * Other fields pass straight through.
 */
export interface AwarenessLike {
  setLocalStateField(field: string, value: unknown): void;
}

export function throttleSelection<A extends AwarenessLike>(
  awareness: A,
  intervalMs: number,
  now: () => number = () => performance.now(),
): { awareness: A; dispose(): void } {
  let last = -Infinity;
  let pending: { value: unknown } | null = null;
  let lastSent: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const flush = () => {
    timer = undefined;
    if (disposed || !pending) return;
    const { value } = pending;
    pending = null;
    const json = JSON.stringify(value);
    if (json === lastSent) return;
    lastSent = json;
    last = now();
    awareness.setLocalStateField('selection', value);
  };
  const setField = (field: string, value: unknown) => {
    if (field !== 'selection') return awareness.setLocalStateField(field, value);
    if (disposed) return;
    pending = { value };
    if (timer !== undefined) return;
    const wait = last + intervalMs - now();
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  };
  const proxy = new Proxy(awareness, {
    get(target, prop, receiver) {
      if (prop === 'setLocalStateField') return setField;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return {
    awareness: proxy,
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
