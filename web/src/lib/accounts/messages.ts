/**
 * The words of the account pages (account, conflicts, admin, sign-in, join, recovery key,
 * recover, sign-out), added when one of those pages loads, so a first visit to Tend does not
 * download them.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
