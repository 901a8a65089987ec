/**
 * A place's own page. Written from `/resources` so this part of the directory does not depend on
 * the typed route of the place's page, which is built alongside it.
 */
import { resolve } from '$app/paths';

export const resourceHref = (id: string): string =>
  `${resolve('/resources')}/${encodeURIComponent(id)}`;
