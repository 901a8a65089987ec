/**
 * The words of the directory's review pages (resources.diff.*, resources.review.*,
 * resources.suggestion.*, resources.mine.*), added when one of those pages loads.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
