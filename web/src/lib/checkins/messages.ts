/**
 * The check-in pages' shared words (navigation, common notices) and the default trackers' words
 * (core/src/checkins/defaults.ts), added when a check-in page loads, not in the first visit's
 * bundle. Each area keeps its own words beside it (`<area>/messages/en.json`, loaded by its
 * `<area>/messages.ts`), checked with these by src/lib/i18n/messages.test.ts.
 */
import { addMessages } from 'svelte-i18n';
import { defaultTrackerMessagesEn } from '$core/checkins/defaults';
import en from './messages/en.json';

addMessages('en', en, defaultTrackerMessagesEn);
