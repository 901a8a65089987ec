/**
 * The journal page's words (checkins.journal.*), added when it loads, with the Markdown editor's
 * (plans.editor.*, taken from the plan pages' words without the plan templates, to keep this
 * page small). Shared check-in words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import { plans } from '$lib/plans/messages/en.json';
import en from './messages/en.json';

addMessages('en', { plans: { editor: plans.editor } }, en);
