/**
 * The directory admin page's words (resources.admin.*), added when that page loads. Checked by
 * src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
