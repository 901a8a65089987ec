/**
 * The listener who accepted opens the talk: a new conversation key, wrapped for both after the
 * asker's keys are checked against my pin (the same path as starting any direct conversation,
 * conversations/session.ts), sent to `POST /api/v1/listen/asks/:id/conversation`. Loaded with
 * `import()` when needed, like the rest of the conversation crypto.
 */
import { newConversationKeys, type ConversationDeps } from '../conversations/session';
import type { AskWire, ListenApi } from './api';

export type OpenTalkError =
  'keys_changed' | 'keys_invalid' | 'closed' | 'network' | 'rate_limited' | 'problem';

export async function openTalk(
  deps: Pick<ConversationDeps, 'vault' | 'me'> & { readonly listen: ListenApi },
  ask: AskWire,
): Promise<{ ok: true; conversationId: string } | { ok: false; error: OpenTalkError }> {
  if (ask.conversationId !== null) return { ok: true, conversationId: ask.conversationId };
  const other = ask.other;
  if (ask.role !== 'listener' || other === null || other.publicKeyBundle === null) {
    return { ok: false, error: 'closed' };
  }
  const keys = await newConversationKeys(deps, {
    accountId: other.accountId,
    publicKeyBundle: other.publicKeyBundle,
  });
  if (!keys.ok) return keys;
  const opened = await deps.listen.openTalk(ask.id, keys.body);
  if (opened.ok) {
    return opened.value.conversationId === null
      ? { ok: false, error: 'problem' }
      : { ok: true, conversationId: opened.value.conversationId };
  }
  if (opened.code === 'network') return { ok: false, error: 'network' };
  if (opened.code === 'ask_closed' || opened.status === 404) return { ok: false, error: 'closed' };
  if (opened.status === 429) return { ok: false, error: 'rate_limited' };
  return { ok: false, error: 'problem' };
}
