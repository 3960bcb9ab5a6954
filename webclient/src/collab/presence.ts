/** Who is here: user colours, the awareness `user` field, and CSS for remote cursors with names. */

export interface PresenceUser {
  id: number;
  name: string;
  color: string;
  colorLight: string;
}

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#0b9c9c',
  '#c2185b',
  '#827717',
];

/** A stable colour per user name, so everyone sees the same person in the same colour. */
export function colorFor(name: string): { color: string; colorLight: string } {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const color = PALETTE[h % PALETTE.length] ?? '#4363d8';
  return { color, colorLight: `${color}33` };
}

export function presenceUser(id: number, name: string): PresenceUser {
  return { id, name, ...colorFor(name) };
}

/** Quotes a string for a CSS `content:` value. */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\r\f]/g, ' ')}"`;
}

const SAFE_COLOR = /^#[0-9a-fA-F]{3,8}$/;

/** Rules for y-monaco's `yRemoteSelection-{clientID}` / `yRemoteSelectionHead-{clientID}` classes. */
export function cursorCss(clientId: number, user: Partial<PresenceUser> | undefined): string {
  const color = user?.color && SAFE_COLOR.test(user.color) ? user.color : '#888888';
  const light =
    user?.colorLight && SAFE_COLOR.test(user.colorLight) ? user.colorLight : `${color}33`;
  const name = cssString((user?.name ?? 'anonymous').slice(0, 40));
  return [
    `.yRemoteSelection-${clientId}{background-color:${light}}`,
    `.yRemoteSelectionHead-${clientId}{position:absolute;border-left:2px solid ${color};height:100%;box-sizing:border-box}`,
    `.yRemoteSelectionHead-${clientId}::after{content:${name};position:absolute;top:-1.15em;left:-2px;` +
      `background:${color};color:#fff;font:11px/1.3 system-ui,sans-serif;padding:0 4px;` +
      `border-radius:3px 3px 3px 0;white-space:nowrap;pointer-events:none;z-index:10}`,
  ].join('\n');
}

/** Keeps one <style> element in step with the awareness states of every room. */
export class CursorStyles {
  private el: HTMLStyleElement | null = null;
  private rules = new Map<number, string>();

  update(states: Map<number, { user?: Partial<PresenceUser> }>, selfId: number): void {
    let changed = false;
    for (const [id, state] of states) {
      if (id === selfId) continue;
      const css = cursorCss(id, state.user);
      if (this.rules.get(id) !== css) {
        this.rules.set(id, css);
        changed = true;
      }
    }
    if (!changed) return;
    if (!this.el) {
      this.el = document.createElement('style');
      this.el.dataset.devsync = 'cursors';
      document.head.appendChild(this.el);
    }
    this.el.textContent = [...this.rules.values()].join('\n');
  }
}
