/**
 * The words of "things to watch" and the gentle offer (checkins.watch.*), added when a page
 * showing them loads. Shared check-in words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import en from './messages/en.json';

addMessages('en', en);
