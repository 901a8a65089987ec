import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development, set TEND_API_URL (e.g. http://127.0.0.1:3000) to proxy /api to a Tend server.
const api = process.env.TEND_API_URL;

export default defineConfig({
  plugins: [sveltekit()],
  build: {
    // Cheap phones on slow networks: keep an eye on what we ship.
    chunkSizeWarningLimit: 100,
  },
  server: api ? { proxy: { '/api': api } } : {},
});
