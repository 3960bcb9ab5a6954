/** AI chat: streamed answers with the current file and selection as context; insert code blocks. */
import { useRef, useState, type FormEvent } from 'react';
import type { EditorSession } from '../editor/session';
import { streamChat, type ChatMessage } from '../lib/api';
import { splitCodeBlocks } from '../lib/markdown';

export function ChatPanel({ session }: { session: EditorSession }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text) return;
    const history: ChatMessage[] = [...messages, { role: 'user', content: text }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setError(null);
    setBusy(true);
    const ed = session.editor;
    const model = ed?.getModel();
    const sel = ed?.getSelection();
    const context = {
      path: session.active,
      selection: model && sel && !sel.isEmpty() ? model.getValueInRange(sel) : undefined,
      text: model?.getValue().slice(0, 20000),
    };
    abort.current = new AbortController();
    let answer = '';
    try {
      await streamChat(
        session.projectId,
        history,
        context,
        (delta) => {
          answer += delta;
          setMessages([...history, { role: 'assistant', content: answer }]);
        },
        abort.current.signal,
      );
    } catch (err) {
      if ((err as Error).name !== 'AbortError') {
        setError((err as Error).message);
        if (!answer) setMessages(history);
      }
    } finally {
      setBusy(false);
    }
  };

  const insert = (code: string) => {
    const ed = session.editor;
    const sel = ed?.getSelection();
    if (!ed || !sel || session.readOnly) return;
    ed.executeEdits('ai-chat', [{ range: sel, text: code, forceMoveMarkers: true }]);
    ed.focus();
  };

  return (
    <section className="side-panel chat" aria-label="AI chat">
      <div className="row">
        <strong>AI chat</strong>
        <span className="spacer" />
        {busy && <button onClick={() => abort.current?.abort()}>Stop</button>}
      </div>
      <div className="chat-log">
        {messages.length === 0 && (
          <div className="muted small">Ask about the current file or selection.</div>
        )}
        {messages.map((m, i) => (
          <div key={i} className={`msg ${m.role}`}>
            {splitCodeBlocks(m.content).map((part, j) =>
              part.code !== undefined ? (
                <div key={j} className="code">
                  <pre>{part.code}</pre>
                  {!session.readOnly && (
                    <button onClick={() => insert(part.code!)}>Insert at cursor</button>
                  )}
                </div>
              ) : (
                <p key={j}>{part.text}</p>
              ),
            )}
          </div>
        ))}
      </div>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      <form onSubmit={send} className="row">
        <input
          aria-label="Ask the AI"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          placeholder="Ask…"
          disabled={busy}
        />
        <button type="submit" className="primary" disabled={busy}>
          Send
        </button>
      </form>
    </section>
  );
}
