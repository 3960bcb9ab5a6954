/**
 * Presence state and its mapping to decorations, free of VS Code: which
 * participant is where, in which colour, with which label. The renderer turns
 * the result into TextEditorDecorationTypes.
 */
import type { Participant, Position, PresenceParams, Range } from '../protocol';

/** Colours for participants that send none (or an unusable one). */
export const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

export interface PresenceState {
  key: string;
  name: string;
  colour: string;
  uri: string;
  cursor: Position | undefined;
  ranges: Range[];
}

/** What to draw for one participant in one document. */
export interface DecorationSpec {
  key: string;
  colour: string;
  /** Translucent fill for selections (`#rrggbbaa`). */
  selectionColour: string;
  /** Text shown at the caret, undefined when labels are off. */
  label: string | undefined;
  /** Colour of the label text, readable on `colour`. */
  labelForeground: string;
  caret: Position | undefined;
  selections: Range[];
}

export function participantKey(user: Participant): string {
  return String(user.id ?? user.name);
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** `#rgb` / `#rrggbb` (any case) as `#rrggbb`; anything else gets a palette colour. */
export function normaliseColour(colour: string | undefined, key: string): string {
  const text = (colour ?? '').trim().toLowerCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(text);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(text)) return text;
  return PALETTE[hash(key) % PALETTE.length] as string;
}

/** Black or white, whichever reads better on `colour` (`#rrggbb`). */
export function foregroundFor(colour: string): string {
  const r = parseInt(colour.slice(1, 3), 16);
  const g = parseInt(colour.slice(3, 5), 16);
  const b = parseInt(colour.slice(5, 7), 16);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#000000' : '#ffffff';
}

function isEmpty(range: Range): boolean {
  return range.start.line === range.end.line && range.start.character === range.end.character;
}

function ordered(range: Range): Range {
  const { start, end } = range;
  const before = start.line < end.line || (start.line === end.line && start.character <= end.character);
  return before ? range : { start: end, end: start };
}

/** Keeps the latest presence of every participant. */
export class PresenceModel {
  private readonly byKey = new Map<string, PresenceState>();

  /** Apply one notification; returns the key of the participant it was about. */
  update(params: PresenceParams): string {
    const key = participantKey(params.user);
    const ranges = (params.ranges ?? []).map(ordered);
    const cursor = params.cursor ?? undefined;
    if (!params.uri || (cursor === undefined && ranges.length === 0)) {
      this.byKey.delete(key);
      return key;
    }
    this.byKey.set(key, {
      key,
      name: params.user.name,
      colour: normaliseColour(params.user.colour ?? params.user.color, key),
      uri: params.uri,
      cursor,
      ranges,
    });
    return key;
  }

  remove(key: string): void {
    this.byKey.delete(key);
  }

  /** Forget participants no longer in the session. */
  retain(keys: Iterable<string>): void {
    const keep = new Set(keys);
    for (const key of [...this.byKey.keys()]) if (!keep.has(key)) this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
  }

  get(key: string): PresenceState | undefined {
    return this.byKey.get(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  states(): PresenceState[] {
    return [...this.byKey.values()];
  }

  /** What to draw in the document `uri` (compared as strings, as LSP does). */
  decorationsFor(uri: string, showLabels: boolean): DecorationSpec[] {
    const specs: DecorationSpec[] = [];
    for (const state of this.byKey.values()) {
      if (!sameUri(state.uri, uri)) continue;
      // The caret is the cursor; without one, the active end of the last selection.
      const last = state.ranges[state.ranges.length - 1];
      specs.push({
        key: state.key,
        colour: state.colour,
        selectionColour: `${state.colour}40`,
        label: showLabels ? state.name : undefined,
        labelForeground: foregroundFor(state.colour),
        caret: state.cursor ?? last?.end,
        selections: state.ranges.filter((r) => !isEmpty(r)),
      });
    }
    return specs;
  }
}

/** LSP URIs from different clients differ in percent-encoding of `:` and case of drive letters. */
export function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const norm = (u: string): string => {
    try {
      return decodeURIComponent(u).replace(/^file:\/\/\/([A-Za-z]):/, (_, d: string) => `file:///${d.toLowerCase()}:`);
    } catch {
      return u;
    }
  };
  return norm(a) === norm(b);
}
