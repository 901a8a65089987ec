/** The words of the aid post form (aid.new.*), loaded with /aid/new only (the bundle budget). */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
