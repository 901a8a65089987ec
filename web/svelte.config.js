// SvelteKit configuration for Tend's web front end: a static single-page app (no SSR) that the
// Tend server serves from web/build with index.html as the fallback for client routes.
import adapterStatic from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { externalizeInlineScripts } from './scripts/externalize-boot.js';

const BUILD_DIR = 'build';

/**
 * adapter-static, followed by moving SvelteKit's inline bootstrap <script> into a hashed file,
 * so the built pages work under the server's strict `script-src 'self'` policy.
 * @returns {import('@sveltejs/kit').Adapter}
 */
function adapter() {
  const inner = adapterStatic({ pages: BUILD_DIR, assets: BUILD_DIR, fallback: 'index.html' });
  return {
    ...inner,
    name: 'tend-adapter-static-csp',
    async adapt(builder) {
      await inner.adapt(builder);
      const moved = externalizeInlineScripts(BUILD_DIR);
      builder.log(`Moved ${String(moved)} inline script(s) into /_app/immutable/`);
    },
  };
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter(),
    alias: {
      $core: '../core/src',
    },
    paths: {
      relative: false,
    },
    prerender: {
      entries: [],
    },
    serviceWorker: {
      register: true,
    },
  },
};

export default config;
