/**
 * The crypto side of direct conversations (docs/PROTOCOL.md §13), loaded with `import()` by the
 * pages. The other person's keys are always checked against this account's pin (circles/keys.ts:
 * trust on first use, "their keys changed" blocks until confirmed); a conversation key is opened
 * only with the signer's pinned key, and every record only with the sender's. Nothing written
 * leaves here except inside a sealed record.
 */
import {
  makeConversationKey,
  openConversationKey,
  openMessage,
  sealMessage,
  wrapConversationKey,
} from '$core/conversations/message';
import type { MessageContent } from '$core/conversations/content';
import type { VerifiedPublicKeyBundle } from '$core/crypto/identity';
import { generateId } from '$core/crypto/ids';
import { fromBase64url, toBase64url } from '$core/encoding/base64url';
import type { CirclesApi } from '../circles/api';
import type { OwnKeys } from '../circles/invitations';
import { checkKeys, mayTrust, trustedKey, type KeyCheck, type KnownPerson } from '../circles/keys';
import type { CircleVault } from '../circles/store';
import type { ConversationDetailWire, ConversationsApi, MessageWire, NewConversation } from './api';
import type { OpenedEntry, Unopened } from './thread';

export interface ConversationDeps {
  readonly api: ConversationsApi;
  readonly circles: CirclesApi;
  readonly vault: CircleVault;
  readonly me: OwnKeys;
}

export type StartError =
  /** no such handle, or someone who cannot be messaged (the server answers both alike) */
  | 'unknown'
  | 'self'
  /** their keys changed since I pinned them: confirm first */
  | 'keys_changed'
  | 'keys_invalid'
  | 'network'
  | 'rate_limited'
  | 'problem';

/** Starts a conversation with `handle`: makes the key and wraps it for both (§13.1). */
export async function startConversation(
  deps: ConversationDeps,
  handle: string,
): Promise<{ ok: true; id: string } | { ok: false; error: StartError }> {
  const looked = await deps.circles.person(handle.trim().replace(/^@/, ''));
  if (!looked.ok) {
    if (looked.code === 'network') return { ok: false, error: 'network' };
    if (looked.status === 404 || looked.status === 400) return { ok: false, error: 'unknown' };
    return { ok: false, error: looked.status === 429 ? 'rate_limited' : 'problem' };
  }
  const other = looked.value;
  if (other.accountId === deps.me.accountId) return { ok: false, error: 'self' };
  const keys = await newConversationKeys(deps, other);
  if (!keys.ok) return keys;
  const started = await deps.api.start({ ...keys.body, with: other.accountId });
  if (started.ok) return { ok: true, id: started.value.id };
  if (started.code === 'network') return { ok: false, error: 'network' };
  if (started.status === 404) return { ok: false, error: 'unknown' };
  if (started.status === 429) return { ok: false, error: 'rate_limited' };
  return { ok: false, error: 'problem' };
}

/**
 * A new conversation's id and key, wrapped for me and for `other` (§13.1), once their keys are
 * checked against my pin. Also used by "someone to talk to" (lib/listen), whose server route
 * takes the same body without `with`.
 */
export async function newConversationKeys(
  deps: Pick<ConversationDeps, 'vault' | 'me'>,
  other: KnownPerson,
): Promise<
  | { ok: true; body: Omit<NewConversation, 'with'> }
  | { ok: false; error: 'keys_changed' | 'keys_invalid' }
> {
  const trusted = await trustedKey(deps.vault, other);
  if (!trusted.ok) {
    return {
      ok: false,
      error: trusted.check.status === 'changed' ? 'keys_changed' : 'keys_invalid',
    };
  }
  const id = generateId();
  const key = makeConversationKey();
  const wrap = (recipientId: string, recipientX25519PublicKey: Uint8Array) =>
    wrapConversationKey({
      conversationId: id,
      senderId: deps.me.accountId,
      recipientId,
      keyId: 1,
      key,
      recipientX25519PublicKey,
      senderEd25519Seed: deps.me.identity.ed25519Seed,
    });
  const body = {
    id,
    keyId: 1 as const,
    myShareKey: await wrap(deps.me.accountId, deps.me.identity.x25519PublicKey),
    theirShareKey: await wrap(other.accountId, trusted.key.x25519PublicKey),
  };
  key.fill(0);
  return { ok: true, body };
}

/** How far the other person's keys may be trusted, as the page says it. */
export type KeyStatus =
  | 'verified'
  | 'not-verified'
  /** the server shows different keys than pinned: paused until the person checks */
  | 'changed'
  /** broken, or not theirs: never trusted */
  | 'invalid'
  /** the pin could not be read or written here */
  | 'unavailable'
  /** the other person deleted their account */
  | 'gone';

export function keyStatus(check: KeyCheck | null): KeyStatus {
  if (check === null) return 'gone';
  if (check.status === 'first-use' || check.status === 'pinned') {
    return check.pin.verifiedAt === null ? 'not-verified' : 'verified';
  }
  return check.status;
}

/** Messages may be sent, and theirs trusted, only with keys that may be trusted. */
export const mayExchange = (status: KeyStatus): boolean =>
  status === 'verified' || status === 'not-verified';

/** One conversation opened on this device. */
export interface OpenedConversation {
  readonly detail: ConversationDetailWire;
  readonly check: KeyCheck | null;
  readonly status: KeyStatus;
  /** The other person's trusted keys (only when `mayExchange`). */
  readonly otherKey: VerifiedPublicKeyBundle | null;
  /** The current conversation key, or null when it could not be opened. */
  readonly key: { readonly keyId: number; readonly key: Uint8Array } | null;
  /**
   * Every key I was given that opened here (older key ids too, each checked with the pinned key
   * of its own maker), by key id: messages sealed before a reset open with them.
   */
  readonly keys: ReadonlyMap<number, Uint8Array>;
}

/** Checks the other's keys against the pin, then opens my share key with the signer's key. */
export async function openConversation(
  deps: ConversationDeps,
  detail: ConversationDetailWire,
): Promise<OpenedConversation> {
  const other = detail.other;
  const check =
    other === null || detail.otherPublicKeyBundle === null
      ? null
      : await checkKeys(deps.vault, {
          accountId: other.accountId,
          publicKeyBundle: detail.otherPublicKeyBundle,
        });
  const status = keyStatus(check);
  const otherKey = check !== null && mayTrust(check) ? check.key : null;
  // Each key is opened only with its own maker's key: mine, or the other's pinned (trusted) one.
  const signerKey = (keyBy: string) =>
    keyBy === deps.me.accountId
      ? deps.me.identity.ed25519PublicKey
      : other !== null && keyBy === other.accountId
        ? (otherKey?.ed25519PublicKey ?? null)
        : null;
  const open = async (keyBy: string, shareKey: string, keyId: number) => {
    const signer = signerKey(keyBy);
    if (signer === null) return null;
    const opened = await openConversationKey({
      conversationId: detail.id,
      senderId: keyBy,
      recipientId: deps.me.accountId,
      shareKey,
      expectedKeyId: keyId,
      senderEd25519PublicKey: signer,
      recipientX25519SecretKey: deps.me.identity.x25519SecretKey,
    });
    return opened.ok ? opened.value : null;
  };
  const key = await open(detail.keyBy, detail.shareKey, detail.keyId);
  const keys = new Map<number, Uint8Array>();
  for (const k of detail.keys) {
    // The current key is the one served beside the conversation (checked above), never a
    // different one listed under its id; older ones are each checked for their own id.
    if (k.keyId >= detail.keyId || keys.has(k.keyId)) continue;
    const opened = await open(k.keyBy, k.shareKey, k.keyId);
    if (opened !== null) keys.set(opened.keyId, opened.key);
  }
  if (key !== null) keys.set(key.keyId, key.key);
  return { detail, check, status, otherKey, key, keys };
}

/**
 * Opens records: each with the conversation key and the sender's own key (mine, or the other's
 * pinned one). Whatever does not open — wrong key, changed bytes, a bad signature, a sender whose
 * keys are not trusted now — is listed as unopened, never shown as text.
 */
export function openRecords(
  conversation: Pick<OpenedConversation, 'detail' | 'otherKey' | 'keys'>,
  me: OwnKeys,
  records: readonly MessageWire[],
): { entries: OpenedEntry[]; unopened: Unopened[] } {
  const entries: OpenedEntry[] = [];
  const unopened: Unopened[] = [];
  const { detail, otherKey, keys } = conversation;
  for (const m of records) {
    const senderKey =
      m.senderId === me.accountId
        ? me.identity.ed25519PublicKey
        : detail.other !== null && m.senderId === detail.other.accountId
          ? (otherKey?.ed25519PublicKey ?? null)
          : null;
    const record = fromBase64url(m.record);
    const opened =
      senderKey === null || record === undefined
        ? null
        : openMessage({
            conversationId: detail.id,
            messageId: m.id,
            senderId: m.senderId,
            record,
            expectedKeyId: m.keyId,
            conversationKeys: (keyId) => keys.get(keyId),
            senderEd25519PublicKey: senderKey,
          });
    if (opened?.ok === true) {
      entries.push({
        seq: m.seq,
        messageId: m.id,
        senderId: m.senderId,
        sentAt: opened.value.sentAt,
        content: opened.value.content,
        // Kept in memory only, for a report the person may choose to make (PROTOCOL §13.4).
        report: opened.value.report,
      });
    } else {
      unopened.push({ seq: m.seq, messageId: m.id, senderId: m.senderId, at: m.createdAt });
    }
  }
  return { entries, unopened };
}

export type SendError =
  'closed' | 'stale_key' | 'network' | 'rate_limited' | 'too_large' | 'problem';

/** Seals `content` (a message, an edit or a delete of my own) and posts it. */
export async function send(
  deps: Pick<ConversationDeps, 'api' | 'me'>,
  conversation: Pick<OpenedConversation, 'detail' | 'key'>,
  content: MessageContent,
): Promise<{ ok: true; message: MessageWire } | { ok: false; error: SendError }> {
  if (conversation.key === null) return { ok: false, error: 'stale_key' };
  const id = generateId();
  const sealed = sealMessage({
    conversationId: conversation.detail.id,
    messageId: id,
    senderId: deps.me.accountId,
    keyId: conversation.key.keyId,
    conversationKey: conversation.key.key,
    content,
    sentAt: Date.now(),
    senderEd25519Seed: deps.me.identity.ed25519Seed,
  });
  if (!sealed.ok) return { ok: false, error: 'too_large' };
  const posted = await deps.api.post(conversation.detail.id, {
    id,
    keyId: conversation.key.keyId,
    record: toBase64url(sealed.value),
  });
  if (posted.ok) return { ok: true, message: posted.value };
  if (posted.code === 'network') return { ok: false, error: 'network' };
  if (posted.code === 'conversation_closed') return { ok: false, error: 'closed' };
  if (posted.code === 'stale_key') return { ok: false, error: 'stale_key' };
  if (posted.status === 429) return { ok: false, error: 'rate_limited' };
  return { ok: false, error: 'problem' };
}

export type ResetError =
  /** their keys are not trusted now (changed, invalid), or they left Tend */
  | 'keys'
  | 'closed'
  /** the key changed meanwhile (the other person reset it): open it again */
  | 'stale_key'
  | 'network'
  | 'rate_limited'
  | 'problem';

/**
 * Makes a new conversation key (key id + 1), wraps it for me and for the other person's trusted
 * keys, signed by me, and sends it (`PUT …/key`, §13.1). Older keys stay served, so every earlier
 * message still opens; new messages use this one.
 */
export async function resetKey(
  deps: Pick<ConversationDeps, 'api' | 'me'>,
  conversation: Pick<OpenedConversation, 'detail' | 'otherKey'>,
): Promise<{ ok: true; keyId: number } | { ok: false; error: ResetError }> {
  const { detail, otherKey } = conversation;
  if (detail.closedAt !== null) return { ok: false, error: 'closed' };
  if (detail.other === null || otherKey === null) return { ok: false, error: 'keys' };
  const keyId = detail.keyId + 1;
  const key = makeConversationKey();
  const wrap = (recipientId: string, recipientX25519PublicKey: Uint8Array) =>
    wrapConversationKey({
      conversationId: detail.id,
      senderId: deps.me.accountId,
      recipientId,
      keyId,
      key,
      recipientX25519PublicKey,
      senderEd25519Seed: deps.me.identity.ed25519Seed,
    });
  const body = {
    keyId,
    myShareKey: await wrap(deps.me.accountId, deps.me.identity.x25519PublicKey),
    theirShareKey: await wrap(detail.other.accountId, otherKey.x25519PublicKey),
  };
  key.fill(0);
  const r = await deps.api.resetKey(detail.id, body);
  if (r.ok) return { ok: true, keyId: r.value.keyId };
  if (r.code === 'network') return { ok: false, error: 'network' };
  if (r.code === 'conversation_closed') return { ok: false, error: 'closed' };
  if (r.code === 'stale_key') return { ok: false, error: 'stale_key' };
  if (r.status === 429) return { ok: false, error: 'rate_limited' };
  return { ok: false, error: 'problem' };
}

/**
 * Whether this conversation needs a new key before the two can go on (§13.1): both may talk
 * (trusted keys, still open), and either the current key does not open here — made under keys
 * that have since changed, or sealed to mine before mine changed — or, just after I confirmed the
 * other person's changed keys, I made the current key (their copy is sealed to their old keys).
 */
export function resetDue(
  conversation: Pick<OpenedConversation, 'detail' | 'status' | 'key'>,
  myId: string,
  justConfirmedTheirNewKeys = false,
): boolean {
  const { detail, status, key } = conversation;
  if (!mayExchange(status) || detail.other === null || detail.closedAt !== null) return false;
  if (detail.other.leftAt !== null) return false;
  return key === null || (justConfirmedTheirNewKeys && detail.keyBy === myId);
}
