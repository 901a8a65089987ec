/**
 * The plan pages' words, added to the messages when a plan page loads (not in the first visit's
 * bundle): the pages' own (messages/en.json, checked like src/lib/i18n/en.json by
 * src/lib/i18n/messages.test.ts) and the templates' (section titles, prompts, names,
 * descriptions), which live with the templates in core/src/plans/templates.ts.
 */
import { addMessages } from 'svelte-i18n';
import { templateMessagesEn } from '$core/plans/index';
import en from './messages/en.json';

type Dictionary = Parameters<typeof addMessages>[1];

addMessages('en', en, templateMessagesEn as unknown as Dictionary);
