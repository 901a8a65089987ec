import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Runs a baseline server the way the harnesses expect: on a random loopback port, announced as
 * "Baseline is running at http://127.0.0.1:<port>", and stopped cleanly on SIGTERM or SIGINT.
 */
export function serveBaseline(server: Server): void {
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`Baseline is running at http://127.0.0.1:${port}\n`);
  });
}
