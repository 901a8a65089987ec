/**
 * The words of the aid board's admin and manager pieces (aid.admin.*): /admin/aid, the group
 * board's settings on a group's Manage page, the categories and zones editors. Kept apart from
 * the board's own words so the pages everyone opens do not carry them (the bundle budget).
 */
import { addMessages } from 'svelte-i18n';
import en from './messages/en.json';

addMessages('en', en);
