import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface RunningTend {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** Data folder used by this instance (a fresh temp folder unless DATA_DIR was given). */
  dataDir: string;
  process: ChildProcess;
  /** SIGTERM, wait for exit, remove the temp data folder. Resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts the production build (`node dist/server/main.js`, exactly what `npm start` runs after
 * building) on a random loopback port with a fresh data folder, and waits for the URL line.
 */
export async function startTend(
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunningTend> {
  const ownDataDir = env.DATA_DIR === undefined;
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'tend-e2e-'));
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'server', 'main.js')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const cleanUp = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((res, rej) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      cleanUp();
      rej(new Error(message));
    };
    const timer = setTimeout(() => fail(`Tend did not start in time:\n${out}`), timeoutMs);
    // Only until the URL line: afterwards the output grows with every request.
    const check = () => {
      const m = /Tend is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        res(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) =>
      fail(`Tend exited with ${String(code)} before it was ready:\n${out}`),
    );
  });

  return {
    url,
    output: () => out,
    dataDir,
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
