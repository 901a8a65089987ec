import closeWithGrace from 'close-with-grace';
import { startTend } from './start.js';

/**
 * `npm start`: start Tend, print its address, and shut down gracefully on SIGTERM/SIGINT.
 * A problem at start-up is one line on stderr and a non-zero exit, never a stack trace.
 */
async function main(): Promise<void> {
  const started = await startTend(process.env, { requireWebApp: true });
  if (!started.ok) {
    process.stderr.write(`Tend can't start: ${started.error}\n`);
    process.exitCode = 1;
    return;
  }
  const tend = started.value;
  const publicNote =
    tend.config.publicUrl !== undefined && tend.config.publicUrl !== tend.url
      ? ` (public address ${tend.config.publicUrl})`
      : '';
  process.stdout.write(`Tend is running at ${tend.url}${publicNote}\n`);

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) tend.app.log.error({ err }, 'shutting down after an unexpected error');
    else tend.app.log.info({ signal }, 'shutting down');
    await tend.close();
  });
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  process.stderr.write(
    `Tend can't start: ${message}. Set LOG_LEVEL=debug and try again for details.\n`,
  );
  process.exitCode = 1;
});
