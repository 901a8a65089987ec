import { describe, expect, it } from 'vitest';
import {
  AID_ACTORS,
  AID_STATUSES,
  expiryPlan,
  expiryStep,
  REMINDER_BEFORE_MS,
  transition,
  transitionAsAny,
  type AidActor,
  type AidPostKind,
  type AidStatus,
} from './lifecycle.js';

const KINDS: readonly AidPostKind[] = ['need', 'offer'];
const WITHDRAWN_BY: readonly (AidActor | undefined)[] = [undefined, 'author', 'moderator'];

/**
 * Every allowed change, written out by hand (independently of the module's table):
 * `kind from→to actor`, with `*` for both kinds and `[by]` for who withdrew it.
 */
const ALLOWED = new Set([
  '* open→helping author',
  '* open→helping coordinator',
  'need open→done author',
  'need open→done coordinator',
  '* open→withdrawn author',
  '* open→withdrawn moderator',
  '* open→expired system',
  '* helping→open author',
  '* helping→open partner',
  '* helping→open coordinator',
  'need helping→done author',
  'offer helping→done partner',
  '* helping→done coordinator',
  '* helping→withdrawn author',
  '* helping→withdrawn moderator',
  '* helping→expired system',
  '* expired→open author',
  '* withdrawn→open author [author]',
  '* withdrawn→open author [undefined]',
  '* withdrawn→open moderator [moderator]',
]);
/** Changes that exist for some actor (else the refusal is invalid_transition, not forbidden). */
const EDGES = new Set(
  [...ALLOWED].map((a) => {
    const [kind, edge] = a.split(' ');
    return `${kind} ${edge}`;
  }),
);

const allowed = (
  kind: AidPostKind,
  from: AidStatus,
  to: AidStatus,
  actor: AidActor,
  by?: AidActor,
) =>
  [kind, '*'].some(
    (k) =>
      ALLOWED.has(`${k} ${from}→${to} ${actor}`) ||
      (from === 'withdrawn' && ALLOWED.has(`${k} ${from}→${to} ${actor} [${String(by)}]`)),
  );
const edge = (kind: AidPostKind, from: AidStatus, to: AidStatus) =>
  EDGES.has(`${kind} ${from}→${to}`) || EDGES.has(`* ${from}→${to}`);

describe('aid lifecycle', () => {
  it('allows every listed change and refuses every other, over all kinds, pairs and actors', () => {
    let allowedCount = 0;
    let refusedCount = 0;
    for (const kind of KINDS) {
      for (const from of AID_STATUSES) {
        for (const to of AID_STATUSES) {
          for (const actor of AID_ACTORS) {
            for (const withdrawnBy of from === 'withdrawn' ? WITHDRAWN_BY : [undefined]) {
              const r = transition({ kind, from, to, actor, withdrawnBy });
              const label = `${kind} ${from}→${to} by ${actor} (withdrawn by ${String(withdrawnBy)})`;
              if (allowed(kind, from, to, actor, withdrawnBy)) {
                allowedCount++;
                expect(r.ok, label).toBe(true);
                if (r.ok) {
                  expect(r.value).toMatchObject({ from, to, actor });
                  expect(r.value.final, label).toBe(to === 'done');
                  expect(r.value.audited, label).toBe(actor === 'moderator');
                }
              } else {
                refusedCount++;
                expect(r.ok, label).toBe(false);
                if (!r.ok) {
                  expect(r.error.code, label).toBe(
                    edge(kind, from, to) ? 'forbidden' : 'invalid_transition',
                  );
                  expect(r.error.detail.length).toBeGreaterThan(0);
                }
              }
            }
          }
        }
      }
    }
    // 2 kinds × (25 pairs × 6 actors, plus 5 × 6 more from `withdrawn` for the two extra
    // withdrawers): the loops ran over everything. Allowed: 13 changes for both kinds, 3 for needs
    // only, 1 for offers only, and 3 reopenings of a withdrawn post per kind.
    expect(allowedCount + refusedCount).toBe(2 * (5 * 5 * 6 + 2 * 5 * 6));
    expect(allowedCount).toBe(13 * 2 + 3 + 1 + 3 * 2);
  });

  it('sets, clears and keeps the partner as the change needs', () => {
    const p = (from: AidStatus, to: AidStatus, actor: AidActor) => {
      const r = transition({ kind: 'need', from, to, actor });
      return r.ok ? r.value.partner : r.error.code;
    };
    expect(p('open', 'helping', 'author')).toBe('set');
    expect(p('helping', 'open', 'partner')).toBe('clear');
    expect(p('helping', 'done', 'author')).toBe('keep');
    expect(p('helping', 'expired', 'system')).toBe('clear');
  });

  it('done is final, the same status is no change, and nobody else can do anything', () => {
    for (const to of AID_STATUSES) {
      for (const actor of AID_ACTORS) {
        const r = transition({ kind: 'need', from: 'done', to, actor });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('invalid_transition');
      }
    }
    const same = transition({ kind: 'offer', from: 'open', to: 'open', actor: 'author' });
    expect(same).toEqual({
      ok: false,
      error: { code: 'invalid_transition', detail: 'it is already open' },
    });
    // The helper cannot declare a need done: the person who asked confirms it.
    expect(
      transition({ kind: 'need', from: 'helping', to: 'done', actor: 'partner' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // An offer is done when the person who asked for it says so, not the one offering.
    expect(
      transition({ kind: 'offer', from: 'helping', to: 'done', actor: 'author' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('a post a moderator closed is reopened only by a moderator', () => {
    expect(
      transition({
        kind: 'need',
        from: 'withdrawn',
        to: 'open',
        actor: 'author',
        withdrawnBy: 'moderator',
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      transition({
        kind: 'need',
        from: 'withdrawn',
        to: 'open',
        actor: 'moderator',
        withdrawnBy: 'moderator',
      }).ok,
    ).toBe(true);
  });

  it('someone with several roles may use any of them; someone with none is "other"', () => {
    const r = transitionAsAny({
      kind: 'need',
      from: 'open',
      to: 'done',
      actors: ['partner', 'coordinator'],
    });
    expect(r).toMatchObject({ ok: true, value: { actor: 'coordinator' } });
    const refused = transitionAsAny({
      kind: 'need',
      from: 'open',
      to: 'done',
      actors: ['partner'],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      transitionAsAny({ kind: 'need', from: 'open', to: 'helping', actors: [] }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('aid expiry and its reminder', () => {
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 10, 1, 12);

  it('expires after the chosen days, reminding three days before', () => {
    const plan = expiryPlan({ postedAt: t0, expiryDays: 30, whenEndsAt: null });
    expect(plan.expiresAt).toBe(t0 + 30 * day);
    expect(plan.remindAt).toBe(t0 + 30 * day - REMINDER_BEFORE_MS);
  });

  it('a need "by" a date leaves the board a day after it, and a short life is reminded halfway', () => {
    const plan = expiryPlan({ postedAt: t0, expiryDays: 30, whenEndsAt: t0 + 2 * day });
    expect(plan.expiresAt).toBe(t0 + 3 * day);
    expect(plan.remindAt).toBe(t0 + 1.5 * day);
    const oneDay = expiryPlan({ postedAt: t0, expiryDays: 1, whenEndsAt: null });
    expect(oneDay).toEqual({ expiresAt: t0 + day, remindAt: t0 + day / 2 });
  });

  it('reminds once, then expires; only open and helping posts', () => {
    const plan = expiryPlan({ postedAt: t0, expiryDays: 10, whenEndsAt: null });
    const step = (now: number, remindedAt: number | null, status: AidStatus = 'open') =>
      expiryStep({ status, now, plan, remindedAt });
    expect(step(t0, null)).toBe('none');
    expect(step(plan.remindAt - 1, null)).toBe('none');
    expect(step(plan.remindAt, null)).toBe('remind');
    expect(step(plan.remindAt + 1, plan.remindAt)).toBe('none');
    expect(step(plan.expiresAt, plan.remindAt)).toBe('expire');
    expect(step(plan.expiresAt, null, 'helping')).toBe('expire');
    for (const status of ['done', 'withdrawn', 'expired'] as const) {
      expect(step(plan.expiresAt + day, null, status)).toBe('none');
    }
  });
});
