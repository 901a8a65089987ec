/** The history page's words (keys `checkins.history.*`), added when the page loads. */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
