// An account made through the API with items already in its vault, sealed in Node exactly as
// the web vault seals them, so a browser test can start from a year of check-ins without
// typing them. The account uses the minimum KDF parameters; sign in with `signIn(page, url,
// handle)` and the default PASSPHRASE.
import {
  CHECKIN_COLLECTION,
  CHECKIN_ITEM_TYPES,
  encodeCheckinItem,
  makeDefaultTrackers,
} from '../../core/src/checkins/index.js';
import type { Checkin, Tracker } from '../../core/src/checkins/schema.js';
import { checkKdfParams, derivePassphraseKeys, MIN_KDF_PARAMS } from '../../core/src/crypto/kdf.js';
import { generateKey } from '../../core/src/crypto/keys.js';
import { Person } from '../../server/test-support/person.js';
import { ApiClient, pushSealed, type PlainItem } from '../../bench/api-client.js';
import { PASSPHRASE } from './accounts.js';

export interface SeededAccount {
  readonly person: Person;
  readonly api: ApiClient;
}

/** Signs up `handle` on the running Tend at `url` and pushes each collection's items. */
export async function seedAccount(
  url: string,
  handle: string,
  collections: Readonly<Record<string, readonly PlainItem[]>> = {},
  passphrase = PASSPHRASE,
): Promise<SeededAccount> {
  const person = new Person(handle);
  const params = checkKdfParams(MIN_KDF_PARAMS);
  if (!params.ok) throw new Error('the minimum KDF parameters do not pass their own check');
  person.saltSeed = generateKey();
  person.passphrase = await derivePassphraseKeys({
    passphrase,
    handle: person.handle,
    saltSeed: person.saltSeed,
    params: params.value,
  });
  const api = new ApiClient(url);
  const signUp = await api.send('POST', '/api/v1/accounts', {
    handle: person.handle,
    keys: person.accountKeys(),
  });
  if (signUp.status !== 201) throw new Error(`sign-up: ${signUp.status} ${signUp.text}`);
  for (const [collection, items] of Object.entries(collections)) {
    await pushSealed(api, person, collection, items);
  }
  return { person, api };
}

/** Check-in items (trackers, check-ins) as vault plaintexts for `seedAccount`. */
export function checkinItems(
  trackers: readonly Tracker[],
  checkins: readonly Checkin[],
): PlainItem[] {
  return [
    ...trackers.map((t) => ({
      itemId: t.id,
      type: CHECKIN_ITEM_TYPES.tracker,
      plaintext: encodeCheckinItem(t),
    })),
    ...checkins.map((c) => ({
      itemId: c.id,
      type: CHECKIN_ITEM_TYPES.checkin,
      plaintext: encodeCheckinItem(c),
    })),
  ];
}

/** The default trackers (`makeDefaultTrackers`) and a yes/no tracker "a walk" (id `walk`). */
export function seedTrackers(createdAt: string): Tracker[] {
  return [
    ...makeDefaultTrackers(createdAt),
    {
      v: 1,
      id: 'walk',
      name: 'a walk',
      kind: 'yesno',
      group: 'body',
      archived: false,
      createdAt,
      updatedAt: createdAt,
    },
  ];
}

/**
 * A year of check-ins ending the day before `end` (YYYY-MM-DD), one each morning at 08:00 UTC,
 * deterministic: sleep hours, the scale "How steady I feel" (1–5; higher after more sleep and
 * on days with a walk), and a walk (yes/no). Uses the default trackers' ids
 * (`makeDefaultTrackers`) plus `walk`, so pages that add the defaults find them present.
 */
export function yearOfCheckins(trackers: readonly Tracker[], end: string, days = 365): Checkin[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const has = new Set(trackers.map((t) => t.id));
  const endMs = Date.parse(`${end}T08:00:00.000Z`);
  const out: Checkin[] = [];
  for (let d = days; d >= 1; d--) {
    const at = new Date(endMs - d * 864e5).toISOString();
    const sleep = Math.round((5 + rnd() * 4) * 2) / 2;
    const walk = rnd() < 0.5;
    const steady = Math.max(
      1,
      Math.min(5, Math.round(1 + (sleep - 5) * 0.6 + (walk ? 1 : 0) + rnd())),
    );
    const values: Checkin['values'] = {};
    if (has.has('sleepHours')) values.sleepHours = sleep;
    if (has.has('howScale')) values.howScale = steady;
    if (has.has('walk')) values.walk = walk;
    out.push({ v: 1, id: `seed-${String(d)}`, at, values, updatedAt: at });
  }
  return out;
}

export { CHECKIN_COLLECTION };
