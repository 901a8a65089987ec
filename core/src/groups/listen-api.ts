import { z } from 'zod';
import { conversationIdSchema } from '../conversations/api.js';
import { idSchema, publicKeyBundleSchema, shareKeySchema } from '../crypto/schemas.js';
import { languageSchema } from './api.js';

/**
 * The HTTP contract of "someone to talk to" (docs/GROUPS.md, "Someone to talk to"). Members of
 * any group may say they are around to listen for a while; anyone signed in may ask to talk. The
 * first available listener who accepts gets it, and they talk in an end-to-end encrypted direct
 * conversation (context `listen`). The server never holds what the asker wants to say: that goes
 * into the conversation. No ratings, scores, counts or rankings exist anywhere in this contract.
 *
 * Error codes: `not_a_group_member` (listening is for members of a group), `window_too_long`,
 * `window_ended`, `already_asking`, `taken` (someone else is with them), `ask_closed`,
 * `feedback_given`, plus the shared `invalid_input`, `not_found`, `unauthenticated`,
 * `rate_limited`.
 */

export const LISTEN_LIMITS = {
  /** The longest listening window. */
  windowHours: 12,
  /** How long an ask waits for someone before it ends by itself. */
  askMinutes: 30,
  /** New asks per person per rolling hour. */
  asksPerHour: 4,
  words: 300,
  feedbackText: 500,
  languages: 8,
} as const;

/**
 * Requests per account per minute on each "someone to talk to" route (server/groups/listen/
 * routes.ts); more is `429 rate_limited`. Reading is generous (a page that looks again when told
 * something changed), changing things less so, and asking least (it also has `asksPerHour`).
 */
export const LISTEN_RATE_LIMITS = {
  readsPerMinute: 120,
  writesPerMinute: 30,
  asksPerMinute: 10,
} as const;

/** What a listener may say they are comfortable with, and an asker may hope for. */
export const LISTEN_TOPICS = [
  'just-talk',
  'feeling-low',
  'suicidal-feelings',
  'voices-and-visions',
  'anxiety',
  'grief',
  'loneliness',
  'relationships',
  'trauma',
  'substances',
] as const;
export type ListenTopic = (typeof LISTEN_TOPICS)[number];

/** The only kind words feedback can carry (and optional text of the person's own). */
export const FEEDBACK_WORDS = [
  'thank-you',
  'this-helped',
  'i-felt-heard',
  'take-care',
  'glad-we-talked',
] as const;

const unique = <T>(xs: readonly T[]) => new Set(xs).size === xs.length;
const topics = z
  .array(z.enum(LISTEN_TOPICS))
  .max(LISTEN_TOPICS.length)
  .refine(unique, { message: 'must not repeat a topic' });
const languages = z
  .array(languageSchema)
  .max(LISTEN_LIMITS.languages)
  .refine(unique, { message: 'must not repeat a language' });

/** `PUT /api/v1/listen/window`: I am around to listen from `from` until `until`. */
export const listenWindowInputSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  until: z.iso.datetime({ offset: true }),
  topics,
  languages,
  /** Free words of the listener's own ("happy to just sit with you"), shown to whoever they meet. */
  words: z.string().trim().max(LISTEN_LIMITS.words).default(''),
});
export type ListenWindowInput = z.infer<typeof listenWindowInputSchema>;

export const listenWindowSchema = z.object({
  from: z.string(),
  until: z.string(),
  topics: z.array(z.string()),
  languages: z.array(z.string()),
  words: z.string(),
  /** Now inside the window. */
  active: z.boolean(),
});
export const listenWindowResponseSchema = z.object({ window: listenWindowSchema.nullable() });

/** `POST /api/v1/listen/asks`: I would like to talk (what I hope for, both optional). */
export const askInputSchema = z.strictObject({
  topics: topics.default([]),
  languages: languages.default([]),
});

export const ASK_STATUSES = [
  'open',
  'accepted',
  'talking',
  'withdrawn',
  'expired',
  'ended',
] as const;
/** How I am part of an ask. */
export const ASK_ROLES = ['asker', 'listener', 'candidate'] as const;

/**
 * An ask as one person sees it. A candidate (an available listener it matches) sees what was
 * hoped for and never who asked; once taken by someone else it sees status `taken` only.
 */
export const askSchema = z.object({
  id: z.string(),
  role: z.enum(ASK_ROLES),
  status: z.enum([...ASK_STATUSES, 'taken']),
  topics: z.array(z.string()),
  languages: z.array(z.string()),
  createdAt: z.string(),
  expiresAt: z.string(),
  conversationId: z.string().nullable(),
  /** The other person: for the asker and the listener who accepted, once accepted. */
  other: z
    .object({
      accountId: z.string(),
      handle: z.string(),
      /** The listener's own words (shown to the asker). */
      words: z.string().nullable(),
      /** For the listener, to wrap the conversation key for the asker (PROTOCOL §13). */
      publicKeyBundle: publicKeyBundleSchema.nullable(),
    })
    .nullable(),
});
export type AskWire = z.infer<typeof askSchema>;
export const asksResponseSchema = z.object({ asks: z.array(askSchema) });

export const askParamsSchema = z.strictObject({ id: idSchema });

/**
 * `POST /api/v1/listen/asks/:id/conversation`: the listener who accepted opens the conversation
 * (as `POST /api/v1/conversations`, with the asker as the other person).
 */
export const openTalkSchema = z.strictObject({
  id: conversationIdSchema,
  keyId: z.literal(1),
  myShareKey: shareKeySchema,
  theirShareKey: shareKeySchema,
});

/** `POST /api/v1/listen/asks/:id/feedback`: kind words to the other person, once. */
export const feedbackInputSchema = z.strictObject({
  words: z
    .array(z.enum(FEEDBACK_WORDS))
    .min(1)
    .max(FEEDBACK_WORDS.length)
    .refine(unique, { message: 'must not repeat' }),
  text: z.string().trim().max(LISTEN_LIMITS.feedbackText).optional(),
});

/** Kind words someone left me after a talk: never a number, never a count. */
export const feedbackSchema = z.object({
  askId: z.string(),
  words: z.array(z.string()),
  text: z.string().nullable(),
  createdAt: z.string(),
});
export const feedbackResponseSchema = z.object({ feedback: z.array(feedbackSchema) });
