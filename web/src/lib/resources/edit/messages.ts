/**
 * The words of the directory's editor and of the pages that use it (resources.edit.*,
 * resources.suggest.*, resources.keeper.*), added when one of those pages loads.
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
