import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  changesResponseSchema,
  flagResponseSchema,
  flagsResponseSchema,
  historyResponseSchema,
  resourcePageSchema,
  resourceResponseSchema,
  revisionResponseSchema,
  suggestionResponseSchema,
  suggestionsResponseSchema,
  type ResourceContent,
} from '../../core/src/resources/api.js';
import { unknownPolicy } from '../../core/src/resources/crisis.js';
import { createTestApp, type TestApp } from '../test-support/app.js';
import { describeEachEngine } from '../test-support/engines.js';
import {
  addResource,
  admin,
  content,
  keeper,
  rowCounts,
  someone,
  type Someone,
} from './test-fixtures.js';

const check = { checkedOn: '2026-10-01', checkedBy: 'Sam', source: 'Phoned them' };

/** Content with these crisis values for "may it contact police without consent". */
function police(
  value: 'yes' | 'no' | 'unknown',
  checkedOn = '2026-10-01',
): ResourceContent['crisis'] {
  const p = unknownPolicy();
  return {
    ...p,
    facts: {
      ...p.facts,
      policeWithoutConsent: {
        value,
        check: value === 'unknown' ? null : { ...check, checkedOn },
        note: null,
      },
    },
  };
}

/** A line with no physical location. */
const line = (name: string, over: Partial<ResourceContent> = {}) =>
  content({ name, alternateName: null, locations: [], ...over });

/** A place at these coordinates. */
function place(name: string, lat: number, lon: number): Partial<ResourceContent> {
  const base = content().locations[0]!;
  return {
    name,
    alternateName: null,
    locations: [{ ...base, id: randomUUID(), name, lat, lon }],
  };
}

/** The error code of an answer. */
const codeOf = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

const names = (body: string) =>
  resourcePageSchema.parse(JSON.parse(body)).resources.map((r) => r.content.name);

describeEachEngine('resources: keepers write versions with their history', (engine) => {
  let t: TestApp;
  let k: Someone;
  let other: Someone;
  let member: Someone;
  const now = new Date();

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    k = await keeper(t, 'sam');
    other = await keeper(t, 'robin');
    member = await someone(t, 'wren');
  });
  afterAll(async () => t.close());

  it('creates, edits, marks checked, retires and restores, each a version naming who', async () => {
    const r = await addResource(k, { name: 'Riverton Peer Line' });
    expect(r.version).toBe(1);
    expect(r.content.name).toBe('Riverton Peer Line');
    const edited = await k.client.put(`/api/v1/resources/${r.id}`, {
      baseVersion: 1,
      content: { ...r.content, description: 'Now open on Sundays too.' },
      note: 'They told us',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(resourceResponseSchema.parse(edited.json()).resource.version).toBe(2);

    // A stale base: refused, nothing written.
    const before = await rowCounts(t);
    const stale = await other.client.put(`/api/v1/resources/${r.id}`, {
      baseVersion: 1,
      content: { ...r.content, description: 'Something else' },
      note: null,
    });
    expect(stale.statusCode).toBe(409);
    expect(codeOf(stale)).toBe('resource_changed');
    const same = await other.client.put(`/api/v1/resources/${r.id}`, {
      baseVersion: 2,
      content: { ...r.content, description: 'Now open on Sundays too.' },
      note: null,
    });
    expect(same.statusCode).toBe(409);
    expect(codeOf(same)).toBe('no_change');
    expect(await rowCounts(t)).toEqual(before);

    const checked = await other.client.post(`/api/v1/resources/${r.id}/checked`, {
      baseVersion: 2,
      note: null,
    });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(resourceResponseSchema.parse(checked.json()).resource.content.checkedOn).toBe(
      now.toISOString().slice(0, 10),
    );

    const retired = await k.client.post(`/api/v1/resources/${r.id}/retire`, {
      retired: true,
      note: 'Closed down',
    });
    expect(retired.statusCode, retired.body).toBe(200);
    expect((await member.client.get(`/api/v1/resources/${r.id}`)).statusCode).toBe(404);
    expect((await member.client.get(`/api/v1/resources/${r.id}/history`)).statusCode).toBe(404);
    expect(
      resourceResponseSchema.parse((await k.client.get(`/api/v1/resources/${r.id}`)).json())
        .resource.retired,
    ).toBe(true);
    const again = await k.client.post(`/api/v1/resources/${r.id}/retire`, {
      retired: true,
      note: null,
    });
    expect(codeOf(again)).toBe('no_change');
    const editRetired = await k.client.put(`/api/v1/resources/${r.id}`, {
      baseVersion: 4,
      content: r.content,
      note: null,
    });
    expect(editRetired.statusCode).toBe(409);
    expect(codeOf(editRetired)).toBe('resource_retired');
    const restored = await k.client.post(`/api/v1/resources/${r.id}/retire`, {
      retired: false,
      note: null,
    });
    expect(restored.statusCode, restored.body).toBe(200);

    const h = historyResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/${r.id}/history`)).json(),
    );
    expect(h.revisions.map((v) => [v.version, v.kind, v.by?.handle, v.note])).toEqual([
      [5, 'restored', 'sam', null],
      [4, 'retired', 'sam', 'Closed down'],
      [3, 'checked', 'robin', null],
      [2, 'edited', 'sam', 'They told us'],
      [1, 'created', 'sam', null],
    ]);
    const v2 = revisionResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/${r.id}/history/2`)).json(),
    );
    expect(v2.revision.content.description).toBe('Now open on Sundays too.');
    expect((await member.client.get(`/api/v1/resources/${r.id}/history/9`)).statusCode).toBe(404);
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const before = await rowCounts(t);
    const cases: [unknown, number, string][] = [
      [{ id: 'not-a-uuid', content: content(), note: null }, 400, 'invalid_input'],
      [{ id: randomUUID(), content: { ...content(), name: '' }, note: null }, 400, 'invalid_input'],
      [
        { id: randomUUID(), content: { ...content(), kinds: [] }, note: null },
        400,
        'invalid_input',
      ],
      [
        {
          id: randomUUID(),
          content: {
            ...content(),
            crisis: {
              ...police('no'),
              facts: {
                ...police('no').facts,
                policeWithoutConsent: { value: 'no', check: null, note: null },
              },
            },
          },
          note: null,
        },
        400,
        'invalid_input',
      ],
      [
        { id: randomUUID(), content: { ...content(), kinds: ['no-such-kind'] }, note: null },
        400,
        'unknown_kind',
      ],
      [{ id: randomUUID(), content: content(), note: null, extra: 1 }, 400, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const res = await k.client.post('/api/v1/resources', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(codeOf(res)).toBe(code);
    }
    expect(await rowCounts(t)).toEqual(before);
    const taken = await addResource(k, { name: 'Taken' });
    const again = await k.client.post('/api/v1/resources', {
      id: taken.id,
      content: content(),
      note: null,
    });
    expect(again.statusCode).toBe(409);
    expect(codeOf(again)).toBe('conflict');
    const members = await member.client.post('/api/v1/resources', {
      id: randomUUID(),
      content: content(),
      note: null,
    });
    expect(members.statusCode).toBe(403);
  });

  it('lets admins add and retire kinds; a retired kind is refused in a new write only', async () => {
    const mo = await admin(t, 'mo');
    const made = await mo.client.post('/api/v1/resources/kinds', {
      id: 'crisis-house',
      label: 'Crisis house',
    });
    expect(made.statusCode, made.body).toBe(201);
    const taken = await mo.client.post('/api/v1/resources/kinds', {
      id: 'crisis-house',
      label: 'x',
    });
    expect(codeOf(taken)).toBe('kind_taken');
    const r = await addResource(k, { name: 'Ash House', kinds: ['crisis-house'] });
    const found = await member.client.get('/api/v1/resources?q=crisis%20house');
    expect(names(found.body)).toContain('Ash House');
    expect(
      (
        await mo.client.send('PATCH', '/api/v1/resources/kinds/crisis-house', {
          body: { retired: true },
        })
      ).statusCode,
    ).toBe(200);
    // The resource keeps it through an edit; a new resource cannot take it.
    const edit = await k.client.put(`/api/v1/resources/${r.id}`, {
      baseVersion: 1,
      content: { ...r.content, description: 'Five rooms.' },
      note: null,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const fresh = await k.client.post('/api/v1/resources', {
      id: randomUUID(),
      content: content({ kinds: ['crisis-house'] }),
      note: null,
    });
    expect(codeOf(fresh)).toBe('unknown_kind');
    const unknown = await member.client.get('/api/v1/resources?kind=nope');
    expect(unknown.statusCode).toBe(400);
    expect(codeOf(unknown)).toBe('unknown_kind');
  });

  it('appoints keepers and lists them; /me says what I may do', async () => {
    const mo = await admin(t, 'ada');
    const quill = await someone(t, 'quill');
    expect((await quill.client.get('/api/v1/resources/me')).json()).toEqual({
      keeper: false,
      admin: false,
    });
    expect((await mo.client.put(`/api/v1/resources/keepers/${quill.accountId}`)).statusCode).toBe(
      200,
    );
    expect((await quill.client.get('/api/v1/resources/me')).json()).toEqual({
      keeper: true,
      admin: false,
    });
    const list = (await member.client.get('/api/v1/resources/keepers')).json<{
      keepers: { handle: string }[];
    }>();
    expect(list.keepers.map((x) => x.handle)).toContain('quill');
    expect(
      (await mo.client.send('DELETE', `/api/v1/resources/keepers/${quill.accountId}`)).statusCode,
    ).toBe(204);
    expect(
      (await mo.client.send('DELETE', `/api/v1/resources/keepers/${quill.accountId}`)).statusCode,
    ).toBe(404);
    expect(
      (await mo.client.put('/api/v1/resources/keepers/AAAAAAAAAAAAAAAAAAAAAA')).statusCode,
    ).toBe(404);
  });

  it('takes out-of-date flags: one open per person, seen by keepers with who, resolved once', async () => {
    const r = await addResource(k, { name: 'Flagged Line' });
    const url = `/api/v1/resources/${r.id}/flags`;
    const first = await member.client.post(url, { reason: 'hours-wrong', note: 'Closed at 9' });
    expect(first.statusCode, first.body).toBe(201);
    const mine = flagResponseSchema.parse(first.json()).flag;
    expect(mine.by).toBeNull(); // only keepers see who flagged
    const again = await member.client.post(url, { reason: 'closed', note: null });
    expect(again.statusCode).toBe(409);
    expect(codeOf(again)).toBe('already_flagged');
    expect((await other.client.post(url, { reason: 'closed', note: null })).statusCode).toBe(201);
    const seen = resourceResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/${r.id}`)).json(),
    ).resource;
    expect([seen.openFlags, seen.flaggedByMe]).toEqual([2, true]);
    expect((await member.client.get('/api/v1/resources/flags')).statusCode).toBe(403);
    const list = flagsResponseSchema.parse(
      (await k.client.get(`/api/v1/resources/flags?resourceId=${r.id}`)).json(),
    );
    expect(list.flags.map((f) => [f.by?.handle, f.reason, f.note])).toEqual([
      ['wren', 'hours-wrong', 'Closed at 9'],
      ['robin', 'closed', null],
    ]);
    const resolved = await k.client.post(`/api/v1/resources/flags/${mine.id}/resolve`, {
      note: 'Hours corrected',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(flagResponseSchema.parse(resolved.json()).flag.resolvedBy?.handle).toBe('sam');
    const twice = await k.client.post(`/api/v1/resources/flags/${mine.id}/resolve`, { note: null });
    expect(codeOf(twice)).toBe('flag_closed');
    // Resolved: the person may flag it again.
    expect((await member.client.post(url, { reason: 'other', note: null })).statusCode).toBe(201);
    const unknown = await member.client.post(`/api/v1/resources/${randomUUID()}/flags`, {
      reason: 'other',
      note: null,
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await member.client.post(url, { reason: 'nonsense', note: null });
    expect(codeOf(bad)).toBe('invalid_input');
  });

  it('limits flags to 30 a day per person, writing nothing past it', async () => {
    const busy = await someone(t, 'busy');
    const r = await addResource(k, { name: 'Busy Line' });
    const at = new Date(Date.now() - 3_600_000).toISOString();
    await t.handle.db
      .insertInto('resource_flags')
      .values(
        Array.from({ length: 30 }, () => ({
          id: randomUUID(),
          resource_id: r.id,
          account_id: busy.accountId,
          reason: 'other',
          note: null,
          created_at: at,
          resolved_at: at,
          resolved_by: null,
          resolve_note: null,
        })),
      )
      .execute();
    const res = await busy.client.post(`/api/v1/resources/${r.id}/flags`, {
      reason: 'other',
      note: null,
    });
    expect(res.statusCode).toBe(429);
    expect(codeOf(res)).toBe('rate_limited');
    const open = await t.handle.db
      .selectFrom('resource_flags')
      .select('id')
      .where('account_id', '=', busy.accountId)
      .where('resolved_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
  });

  it('takes suggestions: keepers see the diff and publish; history names the suggester', async () => {
    const r = await addResource(k, { name: 'Suggested Line' });
    const body = (over: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      resourceId: r.id,
      baseVersion: 1,
      content: { ...r.content, description: 'Open on Mondays too.' },
      note: 'Their page says so',
      source: 'https://riverton.example/line',
      ...over,
    });
    const made = await member.client.post('/api/v1/resources/suggestions', body());
    expect(made.statusCode, made.body).toBe(201);
    const mine = suggestionResponseSchema.parse(made.json()).suggestion;
    expect(mine.author?.handle).toBe('wren');
    expect(mine.diff.map((d) => [d.path, d.change])).toEqual([['description', 'changed']]);
    // Nobody else but keepers sees it.
    const stranger = await someone(t, 'stranger');
    expect((await stranger.client.get(`/api/v1/resources/suggestions/${mine.id}`)).statusCode).toBe(
      404,
    );
    expect((await member.client.get('/api/v1/resources/suggestions')).statusCode).toBe(403);
    const listed = suggestionsResponseSchema.parse(
      (await member.client.get('/api/v1/resources/suggestions?mine=true')).json(),
    );
    expect(listed.suggestions.map((x) => x.id)).toContain(mine.id);
    // The same as its base: nothing to suggest.
    const same = await member.client.post(
      '/api/v1/resources/suggestions',
      body({ content: r.content }),
    );
    expect(codeOf(same)).toBe('no_change');
    // Members cannot publish.
    const byMember = await member.client.post(`/api/v1/resources/suggestions/${mine.id}/publish`, {
      note: null,
    });
    expect(byMember.statusCode).toBe(403);

    // A second suggestion against version 1; the first is published (version 2).
    const second = suggestionResponseSchema.parse(
      (
        await other.client.post(
          '/api/v1/resources/suggestions',
          body({ content: { ...r.content, name: 'Suggested Line (Riverton)' } }),
        )
      ).json(),
    ).suggestion;
    const published = await k.client.post(`/api/v1/resources/suggestions/${mine.id}/publish`, {
      note: 'Thanks',
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(resourceResponseSchema.parse(published.json()).resource.version).toBe(2);
    const again = await k.client.post(`/api/v1/resources/suggestions/${mine.id}/publish`, {
      note: null,
    });
    expect(codeOf(again)).toBe('suggestion_closed');
    // The second one's base moved on: as suggested it is refused; the keeper applies it.
    const seen = suggestionResponseSchema.parse(
      (await k.client.get(`/api/v1/resources/suggestions/${second.id}`)).json(),
    ).suggestion;
    expect(seen.currentVersion).toBe(2);
    expect(seen.diffFromCurrent?.map((d) => d.path).sort()).toEqual(['description', 'name']);
    const stale = await k.client.post(`/api/v1/resources/suggestions/${second.id}/publish`, {
      note: null,
    });
    expect(codeOf(stale)).toBe('resource_changed');
    const applied = await k.client.post(`/api/v1/resources/suggestions/${second.id}/publish`, {
      content: {
        ...r.content,
        description: 'Open on Mondays too.',
        name: 'Suggested Line (Riverton)',
      },
      note: null,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const h = historyResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/${r.id}/history`)).json(),
    );
    expect(
      h.revisions.map((v) => [v.version, v.kind, v.by?.handle, v.suggestedBy?.handle]),
    ).toEqual([
      [3, 'suggestion', 'sam', 'robin'],
      [2, 'suggestion', 'sam', 'wren'],
      [1, 'created', 'sam', undefined],
    ]);
    expect(h.revisions[1]!.suggestionId).toBe(mine.id);
  });

  it('publishes a suggested new resource under the suggestion id; declines and withdrawals close', async () => {
    const id = randomUUID();
    const made = await member.client.post('/api/v1/resources/suggestions', {
      id,
      resourceId: null,
      baseVersion: null,
      content: content({ name: 'Brand New Warmline' }),
      note: null,
      source: null,
    });
    expect(made.statusCode, made.body).toBe(201);
    const published = await k.client.post(`/api/v1/resources/suggestions/${id}/publish`, {
      note: null,
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(resourceResponseSchema.parse(published.json()).resource.id).toBe(id);

    const before = await rowCounts(t);
    const declined = randomUUID();
    await member.client.post('/api/v1/resources/suggestions', {
      id: declined,
      resourceId: null,
      baseVersion: null,
      content: content({ name: 'Not Quite' }),
      note: null,
      source: null,
    });
    const d = await k.client.post(`/api/v1/resources/suggestions/${declined}/decline`, {
      note: 'We could not find it',
    });
    expect(d.statusCode, d.body).toBe(200);
    const seen = suggestionResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/suggestions/${declined}`)).json(),
    ).suggestion;
    expect([seen.status, seen.reviewNote]).toEqual(['declined', 'We could not find it']);
    expect(
      codeOf(
        await k.client.post(`/api/v1/resources/suggestions/${declined}/publish`, { note: null }),
      ),
    ).toBe('suggestion_closed');
    expect(await rowCounts(t)).toEqual(before);

    const withdrawn = randomUUID();
    await member.client.post('/api/v1/resources/suggestions', {
      id: withdrawn,
      resourceId: null,
      baseVersion: null,
      content: content({ name: 'Changed My Mind' }),
      note: null,
      source: null,
    });
    expect(
      (await k.client.post(`/api/v1/resources/suggestions/${withdrawn}/withdraw`)).statusCode,
    ).toBe(403);
    expect(
      (await member.client.post(`/api/v1/resources/suggestions/${withdrawn}/withdraw`)).statusCode,
    ).toBe(200);
    const unknown = await member.client.post('/api/v1/resources/suggestions', {
      id: randomUUID(),
      resourceId: randomUUID(),
      baseVersion: 1,
      content: content(),
      note: null,
      source: null,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('lists every change in the changes feed, retired ones included', async () => {
    const first = changesResponseSchema.parse(
      (await member.client.get('/api/v1/resources/changes?limit=2')).json(),
    );
    expect(first.changes.length).toBe(2);
    expect(first.complete).toBe(false);
    let cursor = first.cursor;
    let all = [...first.changes];
    for (;;) {
      const page = changesResponseSchema.parse(
        (await member.client.get(`/api/v1/resources/changes?since=${cursor}&limit=2`)).json(),
      );
      all = all.concat(page.changes);
      cursor = page.cursor;
      if (page.complete) break;
    }
    const count = (await rowCounts(t)).resources;
    expect(new Set(all.map((r) => r.id)).size).toBe(count);
    const r = await addResource(k, { name: 'Late' });
    await k.client.post(`/api/v1/resources/${r.id}/retire`, { retired: true, note: null });
    const later = changesResponseSchema.parse(
      (await member.client.get(`/api/v1/resources/changes?since=${cursor}`)).json(),
    );
    expect(later.changes.map((c) => [c.id, c.retired])).toEqual([[r.id, true]]);
    expect((await member.client.get('/api/v1/resources/changes?since=x')).statusCode).toBe(400);
  });
});

describeEachEngine('resources: finding', (engine) => {
  let t: TestApp;
  let k: Someone;
  let member: Someone;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NOTIFY_WORKER: 'false' } });
    k = await keeper(t, 'sam');
    member = await someone(t, 'wren');
    await addResource(k, {
      ...place('Quay Café drop-in', 51.49, -2.65),
      description: 'Tea, company and a listening ear. Hearing voices welcome.',
      kinds: ['drop-in-centre'],
      crisis: police('no'),
    });
    await addResource(k, {
      ...place('Far Hills Respite', 52.5, -2.0),
      kinds: ['peer-respite'],
      crisis: police('yes'),
      cost: { kind: 'donation', note: null },
    });
    await addResource(
      k,
      line('Night Owl Line', {
        kinds: ['peer-line'],
        crisis: police('unknown'),
        hours: {
          timeZone: 'Europe/London',
          weekly: [
            {
              id: randomUUID(),
              days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
              opensAt: '22:00',
              closesAt: '06:00',
              validFrom: null,
              validTo: null,
            },
          ],
          closures: [],
          note: null,
        },
      }),
    );
    await addResource(
      k,
      line('Ōtautahi Kōrero', {
        kinds: ['warmline'],
        languages: ['mi', 'en'],
        crisis: police('no', '2024-01-01'),
        hours: null,
        phones: [],
        chatUrl: null,
      }),
    );
    await addResource(k, {
      ...place('Island Line', -17.71, 178.07),
      kinds: ['warmline'],
      crisis: police('no'),
    });
    await addResource(k, {
      ...place('Date Line Drop-in', -17.71, -179.96),
      kinds: ['drop-in-centre'],
    });
  });
  afterAll(async () => t.close());

  const find = async (query: string) => {
    const res = await member.client.get(`/api/v1/resources?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return names(res.body);
  };

  it('finds by words, as prefixes, in any field, the same on both engines', async () => {
    expect(await find('q=quay')).toEqual(['Quay Café drop-in']);
    expect(await find('q=caf')).toEqual(['Quay Café drop-in']);
    expect(await find('q=HEAR%20voic')).toEqual(['Quay Café drop-in']);
    expect(await find('q=respite')).toEqual(['Far Hills Respite']);
    expect(await find('q=k%C5%8Drero')).toEqual(['Ōtautahi Kōrero']);
    expect(await find('q=riverton%20collective')).toHaveLength(6); // the organization's name
    expect(await find('q=warmline')).toEqual(['Island Line', 'Ōtautahi Kōrero']); // a kind
    expect(await find('q=nothing%20matches')).toEqual([]);
    expect(await find('q=drop-in')).toEqual(['Date Line Drop-in', 'Quay Café drop-in']);
    const many = await member.client.get(`/api/v1/resources?q=${'a '.repeat(9)}`);
    expect(many.statusCode).toBe(400);
  });

  it('filters by kind, language, cost and reach', async () => {
    expect(await find('kind=peer-respite,peer-line')).toEqual([
      'Far Hills Respite',
      'Night Owl Line',
    ]);
    expect(await find('language=mi')).toEqual(['Ōtautahi Kōrero']);
    expect(await find('cost=donation')).toEqual(['Far Hills Respite']);
    expect(await find('reach=in-person')).toEqual([
      'Date Line Drop-in',
      'Far Hills Respite',
      'Island Line',
      'Quay Café drop-in',
    ]);
  });

  it('keeps and drops by distance, keeps lines that reach anywhere, across the antimeridian too', async () => {
    // From Riverton: the café about 3 km away; Far Hills about 120 km.
    expect(await find('near=51.5,-2.6&withinKm=10')).toEqual([
      'Quay Café drop-in',
      'Night Owl Line',
      'Ōtautahi Kōrero',
    ]);
    expect(await find('near=51.5,-2.6&withinKm=10&inPersonOnly=true')).toEqual([
      'Quay Café drop-in',
    ]);
    expect(await find('near=51.5,-2.6&withinKm=200&inPersonOnly=true')).toEqual([
      'Quay Café drop-in',
      'Far Hills Respite',
    ]);
    const page = resourcePageSchema.parse(
      (await member.client.get('/api/v1/resources?near=51.5,-2.6&withinKm=10')).json(),
    );
    expect(page.resources[0]!.distanceKm).toBeCloseTo(3.8, 0);
    expect(page.resources[1]!.distanceKm).toBeNull();
    // Fiji: 178.07°E and 179.96°W are about 200 km apart, across the antimeridian.
    expect(await find('near=-17.71,179.9&withinKm=250&inPersonOnly=true')).toEqual([
      'Date Line Drop-in',
      'Island Line',
    ]);
    expect(await find('near=-17.71,-179.9&withinKm=20&inPersonOnly=true')).toEqual([
      'Date Line Drop-in',
    ]);
    // Pages by distance.
    const first = resourcePageSchema.parse(
      (await member.client.get('/api/v1/resources?near=51.5,-2.6&withinKm=200&limit=2')).json(),
    );
    expect(first.resources.map((r) => r.content.name)).toEqual([
      'Quay Café drop-in',
      'Far Hills Respite',
    ]);
    const second = await find(`near=51.5,-2.6&withinKm=200&limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual(['Night Owl Line', 'Ōtautahi Kōrero']);
    expect(codeOf(await member.client.get('/api/v1/resources?area=nowhere&withinKm=5'))).toBe(
      'unknown_area',
    );
  });

  it('pages by distance one at a time: the places nearest first, then what reaches anywhere', async () => {
    /** Every name, following the cursors a page of `limit` at a time. */
    const walk = async (query: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const res = await member.client.get(
          `/api/v1/resources?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        const page = resourcePageSchema.parse(res.json());
        seen.push(...page.resources.map((r) => r.content.name));
        cursor = page.nextCursor;
        if (cursor === null) return seen;
      }
      throw new Error('the cursors never ended');
    };
    const within = ['Quay Café drop-in', 'Far Hills Respite', 'Night Owl Line', 'Ōtautahi Kōrero'];
    for (const limit of [1, 2, 3, 50]) {
      expect(await walk('near=51.5,-2.6&withinKm=200', limit)).toEqual(within);
    }
    // Without withinKm: every place by distance (Fiji is far), then the rest by name.
    const everywhere = [
      'Quay Café drop-in',
      'Far Hills Respite',
      'Date Line Drop-in', // 177.36° of longitude away, across the antimeridian
      'Island Line', // 179.33°
      'Night Owl Line',
      'Ōtautahi Kōrero',
    ];
    for (const limit of [1, 4, 50]) {
      expect(await walk('near=51.5,-2.6', limit)).toEqual(everywhere);
    }
    // Filters hold in both parts, and a cursor from one search used in another is refused.
    expect(await walk('near=51.5,-2.6&withinKm=200&crisis=no-police', 1)).toEqual([
      'Quay Café drop-in',
      'Ōtautahi Kōrero',
    ]);
    expect(await walk('near=51.5,-2.6&withinKm=200&inPersonOnly=true', 1)).toEqual([
      'Quay Café drop-in',
      'Far Hills Respite',
    ]);
    const byName = resourcePageSchema.parse(
      (await member.client.get('/api/v1/resources?limit=1')).json(),
    );
    const mixed = await member.client.get(
      `/api/v1/resources?near=51.5,-2.6&limit=1&cursor=${byName.nextCursor}`,
    );
    expect([mixed.statusCode, codeOf(mixed)]).toEqual([400, 'invalid_input']);
  });

  it('finds what is open at a fixed instant, across the spring-forward night', async () => {
    // The Night Owl Line is open 22:00–06:00 London time. 05:30 UTC is 05:30 GMT on Saturday
    // 28 March 2026 (open) and 06:30 BST on Sunday 29 March, after the clocks went forward (closed).
    expect(await find('openNow=true&at=2026-03-28T05:30:00Z')).toEqual(['Night Owl Line']);
    expect(await find('openNow=true&at=2026-03-29T05:30:00Z')).toEqual([]);
    expect(await find('openNow=true&at=2026-03-29T04:30:00Z')).toEqual(['Night Owl Line']);
    expect(await find('openNow=true&at=2026-03-29T12:00:00Z')).toEqual([]);
  });

  it('crisis filters pass only a known no, never unknown; fresh leaves stale checks out', async () => {
    const found = await find('crisis=no-police');
    expect(found).toEqual([
      'Date Line Drop-in',
      'Island Line',
      'Quay Café drop-in',
      'Ōtautahi Kōrero',
    ]);
    const page = resourcePageSchema.parse(
      (await member.client.get('/api/v1/resources?crisis=no-police')).json(),
    );
    for (const r of page.resources) {
      expect(r.content.crisis.facts.policeWithoutConsent.value).toBe('no');
    }
    expect(await find('crisis=no-police&fresh=true')).toEqual([
      'Date Line Drop-in',
      'Island Line',
      'Quay Café drop-in',
    ]);
    expect(await find('crisis=no-police,no-tracing')).toEqual(['Date Line Drop-in']);
  });

  it('pages by name with a cursor', async () => {
    const first = resourcePageSchema.parse(
      (await member.client.get('/api/v1/resources?limit=4')).json(),
    );
    expect(first.nextCursor).not.toBeNull();
    const rest = await find(`limit=4&cursor=${first.nextCursor}`);
    expect([...first.resources.map((r) => r.content.name), ...rest]).toEqual([
      'Date Line Drop-in',
      'Far Hills Respite',
      'Island Line',
      'Night Owl Line',
      'Quay Café drop-in',
      'Ōtautahi Kōrero',
    ]);
    expect((await member.client.get('/api/v1/resources?cursor=nonsense')).statusCode).toBe(400);
  });
});
