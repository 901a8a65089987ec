// A circle made through the API, exactly as the web app would make it: accounts with real keys
// (seedAccount), invitations by handle with a sealed ask and the invitation key wrapped to the
// invitee, accepted by the invitee; the owner's `circle` collection (pod map entries and
// reaching-out settings) and, for chosen members, their `to-<member>-1` collection with plan
// sections and "how to reach me", its key wrapped to the member as a signed share key. Like the
// app, the owner's vault also holds those plans and a `circle.grant` for each member shared with,
// so the sharing code (which runs by itself when the owner's vault opens) keeps the copies.
import {
  encodeCircleItem,
  memberCollectionId,
  type CircleSettings,
} from '../../core/src/circles/items.js';
import { sealEnvelope } from '../../core/src/crypto/envelope.js';
import { generateId } from '../../core/src/crypto/ids.js';
import { generateKey } from '../../core/src/crypto/keys.js';
import { wrapShareKey } from '../../core/src/crypto/share.js';
import { toBase64url } from '../../core/src/encoding/base64url.js';
import { encodePlanItem, type Plan, type Section } from '../../core/src/plans/index.js';
import { pushSealed, type ApiClient, type PlainItem } from '../../bench/api-client.js';
import { seedAccount, type SeededAccount } from './seed.js';

const item = <T extends Parameters<typeof encodeCircleItem>[0]>(
  itemId: string,
  type: T,
  value: Parameters<typeof encodeCircleItem<T>>[1],
): PlainItem => {
  const encoded = encodeCircleItem(type, value);
  if (!encoded.ok) throw new Error(`${type}: ${JSON.stringify(encoded.error)}`);
  return { itemId, type, plaintext: encoded.value };
};

async function send(api: ApiClient, method: 'PUT', path: string, body: unknown) {
  if (api.csrf === undefined) {
    const res = await api.send('GET', '/api/v1/csrf');
    api.csrf = (res.json as { token: string }).token;
  }
  const res = await fetch(api.base + path, {
    method,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-csrf-token': api.csrf,
      cookie: api.cookieHeader(),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** `member` joins `owner`'s circle: invited by handle, then accepting. */
export async function joinCircle(owner: SeededAccount, member: SeededAccount): Promise<void> {
  const id = generateId();
  const key = generateKey();
  const ask = sealEnvelope({
    binding: {
      ownerId: owner.person.accountId,
      collectionId: 'invitation',
      itemId: id,
      itemType: 'circle.ask',
    },
    collectionKey: key,
    keyId: 1,
    sequence: 1,
    plaintext: new TextEncoder().encode(JSON.stringify({ message: 'Would you be in my circle?' })),
  });
  if (!ask.ok) throw new Error(ask.error);
  const shareKey = await wrapShareKey({
    shareId: id,
    senderId: owner.person.accountId,
    recipientId: member.person.accountId,
    keyId: 1,
    collectionKey: key,
    recipientX25519PublicKey: member.person.identity.x25519PublicKey,
    senderEd25519Seed: owner.person.identity.ed25519Seed,
  });
  const sent = await owner.api.send('POST', '/api/v1/circles/invitations', {
    id,
    inviteeId: member.person.accountId,
    shareKey: toBase64url(shareKey),
    ask: toBase64url(ask.value),
  });
  if (sent.status !== 201) throw new Error(`invite: ${sent.status} ${sent.text}`);
  const answered = await member.api.send('POST', `/api/v1/circles/invitations/${id}/answer`, {
    accept: true,
  });
  if (answered.status !== 200) throw new Error(`answer: ${answered.status} ${answered.text}`);
}

export interface CircleSeed {
  readonly owner: SeededAccount;
  readonly members: readonly SeededAccount[];
}

/** The owner's own plans holding the shared sections (one plan per plan id, in order). */
function planItemsOf(
  sections: readonly { planId: string; planTitle: string; section: Section }[],
): PlainItem[] {
  const at = new Date().toISOString();
  const planIds = [...new Set(sections.map((s) => s.planId))];
  return planIds.flatMap((planId) => {
    const mine = sections.filter((s) => s.planId === planId);
    const plan: Plan = {
      v: 1,
      id: planId,
      title: mine[0]?.planTitle ?? 'My plan',
      templateId: 'crisis',
      sectionIds: mine.map((s) => s.section.id),
      createdAt: at,
      updatedAt: at,
      pinned: false,
      retention: { keepVersions: 200 },
    };
    return [
      { itemId: plan.id, type: 'plan', plaintext: encodePlanItem(plan) },
      ...mine.map((s) => ({
        itemId: s.section.id,
        type: 'plan.section',
        plaintext: encodePlanItem(s.section),
      })),
    ];
  });
}

/**
 * On a fresh instance (the owner becomes its admin and opens registration), makes `ownerHandle` with `memberHandles` in their circle (named on the pod map), the settings
 * `settingsFor(memberIds)`, and shares `sections` plus "how to reach me" with the members whose
 * handles are in `shareWith`.
 */
export async function seedCircle(
  url: string,
  ownerHandle: string,
  memberHandles: readonly { handle: string; name: string }[],
  opts: {
    settingsFor: (memberIds: readonly string[]) => CircleSettings;
    shareWith: readonly string[];
    sections: readonly { planId: string; planTitle: string; section: Section }[];
    contact: string;
  },
): Promise<CircleSeed> {
  const owner = await seedAccount(url, ownerHandle, { plans: planItemsOf(opts.sections) });
  // The first account on a fresh instance is its admin: it opens registration for the others.
  const opened = await send(owner.api, 'PUT', '/api/v1/admin/settings', {
    registrationMode: 'open',
  });
  if (opened.status !== 200) throw new Error(`registration: ${opened.status} ${opened.text}`);
  const members: SeededAccount[] = [];
  for (const m of memberHandles) {
    const member = await seedAccount(url, m.handle);
    await joinCircle(owner, member);
    members.push(member);
  }
  const ids = members.map((m) => m.person.accountId);
  const people = memberHandles.map((m, i) =>
    item(`person-${String(i)}`, 'circle.person', {
      name: m.name,
      ring: 'pod',
      offers: ['listen'],
      offerNotes: '',
      availability: '',
      reach: `${m.name}: text first`,
      accountId: ids[i],
      handle: m.handle,
    }),
  );
  // What each member shared with may see, as the sharing page saves it.
  const grants = members
    .filter((_m, i) => opts.shareWith.includes(memberHandles[i]?.handle ?? ''))
    .map((m) =>
      item(m.person.accountId, 'circle.grant', {
        memberId: m.person.accountId,
        sections: opts.sections.map((s) => ({ planId: s.planId, sectionId: s.section.id })),
        daily: false,
        contact: true,
        generation: 1,
      }),
    );
  await pushSealed(owner.api, owner.person, 'circle', [
    ...people,
    ...grants,
    item('settings', 'circle.settings', opts.settingsFor(ids)),
  ]);

  for (const [i, m] of memberHandles.entries()) {
    if (!opts.shareWith.includes(m.handle)) continue;
    const member = members[i] as SeededAccount;
    const collection = memberCollectionId(member.person.accountId, 1);
    const { collectionKey } = await pushSealed(owner.api, owner.person, collection, [
      ...opts.sections.map((s) =>
        item(s.section.id, 'circle.shared-section', {
          planId: s.planId,
          planTitle: s.planTitle,
          templateId: 'crisis',
          section: s.section,
        }),
      ),
      item('contact', 'circle.contact', { reach: opts.contact }),
    ]);
    const shareId = generateId();
    const shareKey = await wrapShareKey({
      shareId,
      senderId: owner.person.accountId,
      recipientId: member.person.accountId,
      keyId: 1,
      collectionKey,
      recipientX25519PublicKey: member.person.identity.x25519PublicKey,
      senderEd25519Seed: owner.person.identity.ed25519Seed,
    });
    const put = await send(owner.api, 'PUT', `/api/v1/shares/${shareId}`, {
      collection,
      memberId: member.person.accountId,
      keyId: 1,
      shareKey: toBase64url(shareKey),
    });
    if (put.status !== 200 && put.status !== 201) {
      throw new Error(`share: ${put.status} ${put.text}`);
    }
  }
  return { owner, members };
}

/** The instance's first account (its admin) opens sign-up to everyone. */
export async function openRegistration(admin: SeededAccount): Promise<void> {
  const opened = await send(admin.api, 'PUT', '/api/v1/admin/settings', {
    registrationMode: 'open',
  });
  if (opened.status !== 200) throw new Error(`registration: ${opened.status} ${opened.text}`);
}
