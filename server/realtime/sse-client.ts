import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * A minimal server-sent-events reader over node:http, for tests and benchmarks (the browser uses
 * EventSource). Parses messages as the HTML standard describes: fields up to a blank line.
 */
export interface SseConnection {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly messages: SseMessage[];
  /** Comment lines seen (heartbeats). */
  readonly comments: string[];
  /** The body as received, when the response is not an event stream (errors). */
  readonly body: () => string;
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export function openSse(
  url: string,
  headers: Record<string, string> = {},
  onMessage?: (m: SseMessage) => void,
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(url, {
      headers: { accept: 'text/event-stream', ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      const waiters: { count: number; resolve: () => void }[] = [];
      let raw = '';
      let buffer = '';
      let endedResolve = () => {};
      const ended = new Promise<void>((r) => (endedResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk.length < 4096 && raw.length < 65536 ? chunk : '';
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id: string | undefined;
          let event: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          const m = { id, event, data: data.join('\n') };
          messages.push(m);
          onMessage?.(m);
          for (const w of [...waiters]) {
            if (messages.length >= w.count) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve();
            }
          }
        }
      });
      res.on('end', () => endedResolve());
      res.on('close', () => endedResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages,
        comments,
        body: () => raw,
        ended,
        waitFor(count, timeoutMs = 5000) {
          if (messages.length >= count) return Promise.resolve(messages.slice());
          return new Promise((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`waited for ${count} messages, have ${messages.length}`)),
              timeoutMs,
            );
            waiters.push({
              count,
              resolve: () => {
                clearTimeout(timer);
                ok(messages.slice());
              },
            });
          });
        },
        close() {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.end();
  });
}
