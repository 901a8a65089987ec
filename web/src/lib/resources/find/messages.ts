/**
 * The words of the directory's member pages — finding, a resource's page, saved places and the
 * crisis view (resources.find/card/open/place/savedList/crisisPlaces.*) — added when one of
 * them loads. Checked with the other message files by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
