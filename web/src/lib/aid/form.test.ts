import { describe, expect, it } from 'vitest';
import { newPostForm, recurringPreview, recurringRule, toCreateInput, type PostForm } from './form';

const form = (over: Partial<PostForm> = {}): PostForm => ({
  ...newPostForm('2026-11-26', 'Europe/London', 30),
  category: 'groceries',
  description: 'Groceries from the big shop, I can pay back',
  ...over,
});

describe('the post box', () => {
  it('starts as an ongoing need, anywhere, with my name', () => {
    const f = newPostForm('2026-11-26', 'UTC', 14);
    expect(f).toMatchObject({
      kind: 'need',
      whenKind: 'ongoing',
      areaId: '',
      anonymous: false,
      nameInPrint: false,
      expiresInDays: 14,
      days: ['TH'],
    });
  });

  it('becomes the create body the core schema accepts', () => {
    const r = toCreateInput(form({ areaId: 'northside', reachKm: 3, urgent: true }), 'post1');
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'post1',
        kind: 'need',
        category: 'groceries',
        description: 'Groceries from the big shop, I can pay back',
        contentWarning: null,
        when: { kind: 'ongoing' },
        areaId: 'northside',
        reachKm: 3,
        urgent: true,
        amount: null,
        anonymous: false,
        nameInPrint: false,
        onBehalf: false,
        expiresInDays: 30,
      },
    });
  });

  it('never posts a name to print when anonymous, and never urgency on an offer', () => {
    const anon = toCreateInput(form({ anonymous: true, nameInPrint: true }));
    expect(anon.ok && anon.value).toMatchObject({ anonymous: true, nameInPrint: false });
    const offer = toCreateInput(form({ kind: 'offer', urgent: true, onBehalf: true }));
    expect(offer.ok && offer.value).toMatchObject({ urgent: false, onBehalf: false });
  });

  it('asks for a category and words first', () => {
    expect(toCreateInput(form({ category: '' }))).toEqual({
      ok: false,
      error: { field: 'category', code: 'required' },
    });
    expect(toCreateInput(form({ description: '   ' }))).toEqual({
      ok: false,
      error: { field: 'description', code: 'required' },
    });
    const tooLong = toCreateInput(form({ description: 'x'.repeat(1001) }));
    expect(tooLong).toEqual({ ok: false, error: { field: 'description', code: 'invalid' } });
  });

  it('turns picked days into instants: "by" the end of that day, a window from start to end', () => {
    const by = toCreateInput(form({ whenKind: 'by', byDate: '2026-11-28' }));
    expect(by.ok).toBe(true);
    if (by.ok && by.value.when.kind === 'by') {
      const until = new Date(by.value.when.until);
      expect([until.getFullYear(), until.getMonth(), until.getDate()]).toEqual([2026, 10, 28]);
      expect([until.getHours(), until.getMinutes()]).toEqual([23, 59]);
    }
    const w = toCreateInput(
      form({ whenKind: 'window', fromDate: '2026-11-28', untilDate: '2026-11-28' }),
    );
    expect(w.ok && w.value.when.kind).toBe('window');
    if (w.ok && w.value.when.kind === 'window') {
      expect(new Date(w.value.when.from).getHours()).toBe(0);
    }
    expect(
      toCreateInput(form({ whenKind: 'window', fromDate: '2026-11-29', untilDate: '2026-11-28' })),
    ).toEqual({ ok: false, error: { field: 'when', code: 'order' } });
    expect(toCreateInput(form({ whenKind: 'by', byDate: '' }))).toEqual({
      ok: false,
      error: { field: 'when', code: 'required' },
    });
    // A window longer than 92 days is refused by the core schema.
    expect(
      toCreateInput(form({ whenKind: 'window', fromDate: '2026-11-28', untilDate: '2027-06-01' })),
    ).toEqual({ ok: false, error: { field: 'when', code: 'invalid' } });
  });

  it('makes recurring help an RRULE, and says it in words', () => {
    const f = form({
      whenKind: 'recurring',
      days: ['TH'],
      startTime: '09:30',
      durationMinutes: 90,
    });
    const r = toCreateInput(f);
    expect(r.ok && r.value.when).toEqual({
      kind: 'recurring',
      start: '2026-11-26T09:30',
      timeZone: 'Europe/London',
      durationMinutes: 90,
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
    });
    expect(recurringPreview(f)).toMatch(/Thursday/);
    expect(recurringRule(form({ repeat: 'monthlyByDay', startDate: '2026-11-26' }))).toEqual({
      ok: true,
      value: 'FREQ=MONTHLY;BYMONTHDAY=26',
    });
    // No day chosen for a weekly series.
    const none = toCreateInput(form({ whenKind: 'recurring', days: [] }));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.field).toBe('when');
    expect(recurringPreview(form({ startTime: '' }))).toBeNull();
  });

  it('reads an amount for money only, in minor units', () => {
    const money = toCreateInput(form({ category: 'money', amount: '25.50', currency: 'EUR' }));
    expect(money.ok && money.value.amount).toEqual({ minor: 2550, currency: 'EUR' });
    expect(toCreateInput(form({ category: 'money', amount: '25.505' }))).toEqual({
      ok: false,
      error: { field: 'amount', code: 'invalid' },
    });
    const notMoney = toCreateInput(form({ category: 'rides', amount: '10' }));
    expect(notMoney.ok && notMoney.value.amount).toBeNull();
    const tooMuch = toCreateInput(form({ category: 'money', amount: '200000' }));
    expect(tooMuch).toEqual({ ok: false, error: { field: 'amount', code: 'invalid' } });
  });
});
