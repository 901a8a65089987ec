/**
 * The templates' words (section titles, prompts, names, descriptions) live with the templates in
 * core/src/plans/templates.ts; the plan pages import this module to add them to the English
 * messages, so they are written in one place.
 */
import { addMessages } from 'svelte-i18n';
import { templateMessagesEn } from '$core/plans/index';

type Dictionary = Parameters<typeof addMessages>[1];

addMessages('en', templateMessagesEn as unknown as Dictionary);
