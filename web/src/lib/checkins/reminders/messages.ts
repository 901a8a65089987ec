/**
 * The words of reminders (checkins.reminders.*), added when the reminders page or the scheduler
 * loads. Shared check-in words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
