/** The words of a place's history page (resources.history.*), added when it loads. */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
