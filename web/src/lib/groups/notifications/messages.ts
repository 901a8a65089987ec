/**
 * The words of a group's notification choice (groupNotify.*), added with the group's home page.
 * Checked with the other message files by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
