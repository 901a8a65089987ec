/**
 * The aid pages' words (aid.*), added when an aid page loads, not in the first visit's bundle.
 * Checked with the other message files by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
