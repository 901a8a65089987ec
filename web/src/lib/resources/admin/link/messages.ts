/** The admin index's link to the directory's settings (resources.admin.link), a few bytes. */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
