// The baseline for the benchmark: a bare node:http server doing the least work that answers the
// same requests as Tend. Run by bench/run.ts in its own process, like Tend:
//
//   node --import tsx bench/baseline-server.ts <file> <url-path>
//
// GET /readyz answers {"status":"ready"} (no database); GET <url-path> answers the bytes of
// <file>, streamed from disk on every request (as Tend does; the OS page cache keeps it in
// memory), with the content type Tend sends for it (bench/run.ts checks that both agree). Anything else is 404. It listens on a
// random loopback port and prints "Baseline is running at http://127.0.0.1:<port>".
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname } from 'node:path';
import { serveBaseline } from './serve.js';

// What Tend (@fastify/static) sends for these extensions.
const contentTypes: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const [file, urlPath] = process.argv.slice(2);
if (file === undefined || urlPath === undefined) {
  process.stderr.write('usage: baseline-server.ts <file> <url-path>\n');
  process.exit(2);
}
const size = statSync(file).size;
const contentType = contentTypes[extname(file)] ?? 'application/octet-stream';
const ready = Buffer.from(JSON.stringify({ status: 'ready' }));

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
  } else if (req.url === '/readyz') {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': ready.length,
    });
    res.end(req.method === 'HEAD' ? undefined : ready);
  } else if (req.url === urlPath) {
    res.writeHead(200, { 'content-type': contentType, 'content-length': size });
    if (req.method === 'HEAD') res.end();
    else
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  } else {
    res.writeHead(404).end();
  }
});

serveBaseline(server);
