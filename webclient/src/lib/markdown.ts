/** Splits chat text into prose and fenced code blocks (an unfinished fence counts as code). */
export interface Part {
  text?: string;
  code?: string;
  lang?: string;
}

export function splitCodeBlocks(text: string): Part[] {
  const parts: Part[] = [];
  const fence = /```([\w+-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text)) !== null) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ code: (m[2] ?? '').replace(/\n$/, ''), lang: m[1] || undefined });
    last = fence.lastIndex;
    if (m[0].length === 0) break;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts.filter((p) => p.code !== undefined || p.text!.trim() !== '');
}
