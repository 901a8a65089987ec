/**
 * The directory's shared words (resources.*: kinds, crisis facts, ways to reach, costs), added
 * when a directory page loads, not in the first visit's bundle. Pages with many words of their
 * own keep them in a messages file beside them. Checked by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
