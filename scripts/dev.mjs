// `npm run dev`: rebuild the web app on every change and restart the server on every change.
// The server serves the built app exactly as in production (same CSP, same service worker).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const web = join(root, 'web');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const first = spawnSync(bin('vite'), ['build'], { cwd: web, stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const children = [
  spawn(bin('vite'), ['build', '--watch'], { cwd: web, stdio: 'inherit' }),
  spawn(
    bin('tsx'),
    [
      'watch',
      '--clear-screen=false',
      '--include',
      join(web, 'build', 'index.html'),
      join(root, 'server', 'main.ts'),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      env: { LOG_LEVEL: 'debug', ...process.env },
    },
  ),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', stop);
