/**
 * The import and export page's words (checkins.exchange.*), added when it loads. Shared check-in
 * words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
