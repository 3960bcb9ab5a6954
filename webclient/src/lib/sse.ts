/** Reading a `text/event-stream` answer from fetch (POST, so EventSource cannot be used). */

export interface SseEvent {
  event: string;
  data: string;
}

/** Splits a stream of text chunks into events; keeps partial lines between chunks. */
export class SseParser {
  private buffer = '';
  private event = 'message';
  private data: string[] = [];

  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r?\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer[nl] === '\r' ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push({ event: this.event, data: this.data.join('\n') });
        this.event = 'message';
        this.data = [];
      } else if (line.startsWith(':')) {
        continue;
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') this.data.push(value);
        else if (field === 'event') this.event = value;
      }
    }
    return out;
  }
}

/** The text a chat event carries, whatever shape the server uses (plain, {delta}, OpenAI chunks). */
export function chatDelta(data: string): string | null {
  if (data === '[DONE]') return null;
  try {
    const v = JSON.parse(data) as Record<string, unknown>;
    if (typeof v === 'string') return v;
    for (const key of ['delta', 'content', 'text', 'token']) {
      if (typeof v[key] === 'string') return v[key] as string;
    }
    const choice = (v.choices as { delta?: { content?: string } }[] | undefined)?.[0];
    if (typeof choice?.delta?.content === 'string') return choice.delta.content;
    return '';
  } catch {
    return data;
  }
}

export function chatError(data: string): string {
  try {
    const v = JSON.parse(data) as { detail?: string; error?: string; message?: string };
    return v.detail ?? v.error ?? v.message ?? data;
  } catch {
    return data;
  }
}
