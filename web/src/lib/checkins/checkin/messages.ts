/**
 * The words of the check-in and "what I track" pages (checkins.checkin.*, checkins.trackers.*),
 * added when they load. Shared check-in words (and the default trackers') come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
