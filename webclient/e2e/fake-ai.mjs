// A local OpenAI-compatible model server for browser tests: /v1/completions (fill-in-the-middle)
// and /v1/chat/completions, streamed (SSE) or not, answering `text` (`chatText` for chat).
import { createServer } from 'node:http';

export async function startFakeAi({ text: completionText = 'return a + b', chatText } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let json = {};
      try {
        json = JSON.parse(body || '{}');
      } catch {
        /* keep {} */
      }
      requests.push({ path: req.url, body: json });
      const chat = req.url.includes('/chat/completions');
      // With a `text-completion-openai/` model litellm sends a chat to /v1/completions too,
      // its messages as a list of prompts; a fill-in-the-middle request has one prompt string.
      const asked = chat || Array.isArray(json.prompt);
      const text = asked ? (chatText ?? completionText) : completionText;
      const model = json.model ?? 'fake';
      const piece = (t, done) =>
        chat
          ? {
              id: 'c1',
              object: 'chat.completion.chunk',
              created: 0,
              model,
              choices: [
                {
                  index: 0,
                  delta: done ? {} : { content: t },
                  finish_reason: done ? 'stop' : null,
                },
              ],
            }
          : {
              id: 'c1',
              object: 'text_completion',
              created: 0,
              model,
              choices: [{ index: 0, text: t, finish_reason: done ? 'stop' : null, logprobs: null }],
            };
      if (json.stream) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        for (let i = 0; i < text.length; i += 6)
          res.write(`data: ${JSON.stringify(piece(text.slice(i, i + 6), false))}\n\n`);
        res.write(`data: ${JSON.stringify(piece('', true))}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      const answer = chat
        ? {
            id: 'c1',
            object: 'chat.completion',
            created: 0,
            model,
            choices: [
              { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
            ],
            usage,
          }
        : {
            id: 'c1',
            object: 'text_completion',
            created: 0,
            model,
            choices: [{ index: 0, text, finish_reason: 'stop', logprobs: null }],
            usage,
          };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const v1 = `http://127.0.0.1:${port}/v1`;
  return {
    v1,
    requests,
    // The `devsync serve` environment that points its AI at this server.
    env: {
      DEVSYNC_AI_MODEL: 'text-completion-openai/fake-coder',
      DEVSYNC_AI_API_BASE: v1,
      DEVSYNC_AI_API_KEY: 'test-key',
      DEVSYNC_AI_DEBOUNCE_MS: '50',
    },
    stop: () => new Promise((r) => server.close(r)),
  };
}
