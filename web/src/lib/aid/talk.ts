/**
 * Opening the encrypted conversation of an aid response (PROTOCOL §13, context `aid`): a new
 * conversation key, wrapped for both in this browser after the other person's keys are checked
 * against my pin (conversations/session.ts, as "someone to talk to" does). On a named post the
 * responder opens it with the author's keys from the post page; on an anonymous post the author
 * opens it with the responder's keys when they choose to answer. Loaded with `import()`.
 */
import { newConversationKeys, type ConversationDeps } from '../conversations/session';
import type { CirclesApi } from '../circles/api';
import type { AidApi, PostPageWire, ResponseWire } from './api';

export type TalkError =
  | 'keys_changed'
  | 'keys_invalid'
  | 'unknown'
  | 'network'
  | 'rate_limited'
  | 'closed'
  | 'problem'
  | { readonly code: string };

type Deps = Pick<ConversationDeps, 'vault' | 'me'> & { readonly aid: AidApi };

/** "I can help" / "I'd like this": the response, with the conversation on a named post. */
export async function respond(
  deps: Deps,
  post: Pick<PostPageWire, 'id' | 'anonymous' | 'author' | 'authorKeys'>,
  responseId: string,
  occurrenceId?: string,
): Promise<{ ok: true; response: ResponseWire } | { ok: false; error: TalkError }> {
  let conversation;
  if (!post.anonymous && post.author !== null && post.authorKeys !== null) {
    const keys = await newConversationKeys(deps, {
      accountId: post.author.accountId,
      publicKeyBundle: post.authorKeys,
    });
    if (!keys.ok) return keys;
    conversation = keys.body;
  }
  const r = await deps.aid.respond(post.id, {
    id: responseId,
    ...(occurrenceId === undefined ? {} : { occurrenceId }),
    ...(conversation === undefined ? {} : { conversation }),
  });
  if (r.ok) return { ok: true, response: r.value };
  if (r.code === 'network') return { ok: false, error: 'network' };
  return { ok: false, error: { code: r.code } };
}

/** The author answers a waiting response on an anonymous post: the conversation opens. */
export async function openForResponse(
  deps: Deps & { readonly circles: CirclesApi },
  response: ResponseWire,
): Promise<{ ok: true } | { ok: false; error: TalkError }> {
  const looked = await deps.circles.person(response.responder.handle);
  if (!looked.ok) {
    if (looked.code === 'network') return { ok: false, error: 'network' };
    return { ok: false, error: looked.status === 404 ? 'unknown' : 'problem' };
  }
  if (looked.value.accountId !== response.responder.accountId)
    return { ok: false, error: 'unknown' };
  const keys = await newConversationKeys(deps, looked.value);
  if (!keys.ok) return keys;
  const opened = await deps.aid.openConversation(response.id, keys.body);
  if (opened.ok) return { ok: true };
  if (opened.code === 'network') return { ok: false, error: 'network' };
  return { ok: false, error: { code: opened.code } };
}
