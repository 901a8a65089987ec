/**
 * The words of "what goes with my better days" (checkins.insights.*), added when its page loads.
 * Shared check-in words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
