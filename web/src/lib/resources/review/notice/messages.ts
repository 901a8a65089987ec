/** The words of the keepers' daily notice choice (resources.notice.*). */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
