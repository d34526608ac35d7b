// A small OpenAI-compatible server started inside a test. The requested model name picks the
// behaviour: "echo" answers with the user's text upper-cased; "flaky" answers 429 (Retry-After: 1)
// once, then like echo; "down" always 503; "garbage" answers HTML; "slow" answers after 2 s.
// Any text containing GARBAGE gets a malformed answer whatever the model.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpenAiServer {
  url: string;
  requests: { path: string; model: string; authorization: string | null; body: Record<string, unknown> }[];
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startOpenAiServer(opts: { delayMs?: number } = {}): Promise<OpenAiServer> {
  const state: OpenAiServer = { url: '', requests: [], maxInFlight: 0, close: async () => undefined };
  let inFlight = 0;
  let flakyServed = false;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as {
        model?: string;
        messages?: { role: string; content: string }[];
        prompt?: string;
        max_tokens?: number;
      };
      const model = body.model ?? '';
      state.requests.push({ path: req.url ?? '', model, authorization: req.headers.authorization ?? null, body });
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const done = () => inFlight--;
      res.on('close', done);
      const text = body.messages ? (body.messages.at(-1)?.content ?? '') : (body.prompt ?? '');
      const answer = () => {
        if (text.includes('GARBAGE') || model === 'garbage')
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
        const out = text.toUpperCase().slice(0, (body.max_tokens ?? 16) * 4);
        const choice = body.messages
          ? { index: 0, message: { role: 'assistant', content: out }, finish_reason: 'stop' }
          : { index: 0, text: out, finish_reason: 'stop' };
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            choices: [choice],
            usage: { prompt_tokens: text.length, completion_tokens: out.length },
          }),
        );
      };
      if (model === 'down') return res.writeHead(503).end('overloaded');
      if (model === 'flaky' && !flakyServed) {
        flakyServed = true;
        return res.writeHead(429, { 'retry-after': '1' }).end('{"error":"rate limited"}');
      }
      setTimeout(answer, model === 'slow' ? 2000 : (opts.delayMs ?? 0));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
