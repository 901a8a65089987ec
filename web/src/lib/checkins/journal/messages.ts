/**
 * The journal page's words (checkins.journal.*), added when it loads, with the Markdown editor's
 * (plans.editor.*, from the plan pages' words). Shared check-in words come with ../messages.
 */
import { addMessages } from 'svelte-i18n';
import '../messages';
import '$lib/plans/messages';
import en from './messages/en.json';

addMessages('en', en);
