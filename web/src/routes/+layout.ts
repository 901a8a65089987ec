import { setupI18n } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// A single-page app: everything renders in the browser, nothing is prerendered.
export const ssr = false;
export const prerender = false;

export const load: LayoutLoad = async () => {
  await setupI18n();
  return {};
};
