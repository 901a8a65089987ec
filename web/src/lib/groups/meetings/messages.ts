/**
 * The meetings pages' words (groupMeetings.*), added when a meetings page loads, not in the
 * first visit's bundle. Checked with the other message files by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
