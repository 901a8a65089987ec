/**
 * The coordinators' words (aid.coordinate.*, aid.print.*), loaded with /aid/coordinate and its
 * printable list only (the bundle budget).
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
