/**
 * The notification settings words (notify.*), added when the page loads, not in the first
 * visit's bundle. Checked by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
