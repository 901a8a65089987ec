import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { canModerate, isFacilitator, isMember, loadGroup, loadGroupBySlugOrId } from './current';

const page = {
  id: 'g1',
  slug: 'tuesday-voices',
  name: 'Tuesday voices',
  description: 'A group.',
  topics: [],
  languages: ['en'],
  format: 'online',
  area: null,
  visibility: 'request',
  memberCount: 2,
  archived: false,
  createdAt: '2026-11-20T09:00:00.000Z',
  agreement: { version: 2, text: '- Stays here', createdAt: '2026-11-20T09:00:00.000Z' },
  joinQuestions: [],
  membership: null,
  myRequest: null,
  myInvitationId: null,
};

/** A client whose every answer is `status` with `body`, remembering the paths asked for. */
function answering(status: number, body: unknown, asked: string[] = []) {
  const fetcher: Fetch = (input) => {
    asked.push(input);
    return Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return new ApiClient(fetcher);
}

const failing = new ApiClient(() => Promise.reject(new TypeError('Failed to fetch')));

describe('the current group', () => {
  it('reads a group by its slug', async () => {
    const asked: string[] = [];
    const state = await loadGroup('tuesday-voices', answering(200, page, asked));
    expect(asked).toEqual(['/api/v1/groups/by-slug/tuesday-voices']);
    expect(state).toEqual({ status: 'ready', group: page });
  });

  it('says offline, signed out, not found or error, never throwing', async () => {
    expect(await loadGroup('x-y-z', failing)).toEqual({ status: 'offline' });
    const error = (status: number, code: string) => ({ error: { code, message: '' } });
    expect(await loadGroup('abc', answering(401, error(401, 'unauthenticated')))).toEqual({
      status: 'signed-out',
    });
    expect(await loadGroup('abc', answering(404, error(404, 'not_found')))).toEqual({
      status: 'not-found',
    });
    // A slug the server refuses to read (too short, capitals) is no group either.
    expect(await loadGroup('a', answering(400, error(400, 'invalid_input')))).toEqual({
      status: 'not-found',
    });
    expect(await loadGroup('abc', answering(500, error(500, 'internal')))).toEqual({
      status: 'error',
      code: 'internal',
    });
    // An answer that is not a group page is an error, not a crash.
    expect(await loadGroup('abc', answering(200, { nope: true }))).toEqual({
      status: 'error',
      code: 'bad_response',
    });
  });

  it("follows a link by id (from a notification) to the group's slug, and only then", async () => {
    const notFound = { error: { code: 'not_found', message: '' } };
    /** 404 for by-slug, the page for the id. */
    const byIdOnly = (asked: string[]) =>
      new ApiClient((input) => {
        asked.push(input);
        const found = input === '/api/v1/groups/Gr0up_Id-22charactersX';
        return Promise.resolve(
          new Response(JSON.stringify(found ? page : notFound), {
            status: found ? 200 : 404,
            headers: { 'content-type': 'application/json' },
          }),
        );
      });
    const asked: string[] = [];
    expect(await loadGroupBySlugOrId('Gr0up_Id-22charactersX', byIdOnly(asked))).toEqual({
      state: { status: 'ready', group: page },
      moveTo: 'tuesday-voices',
    });
    expect(asked).toEqual([
      '/api/v1/groups/by-slug/Gr0up_Id-22charactersX',
      '/api/v1/groups/Gr0up_Id-22charactersX',
    ]);
    // A slug that exists stays where it is; an unknown id stays not found.
    expect(await loadGroupBySlugOrId('tuesday-voices', answering(200, page))).toEqual({
      state: { status: 'ready', group: page },
      moveTo: null,
    });
    expect(await loadGroupBySlugOrId('no-such-id', byIdOnly([]))).toEqual({
      state: { status: 'not-found' },
      moveTo: null,
    });
    // Something that is not an id shape is never asked for as an id.
    const asked2: string[] = [];
    await loadGroupBySlugOrId('not an id!', byIdOnly(asked2));
    expect(asked2).toHaveLength(1);
  });

  it('tells members, moderators and facilitators apart', () => {
    const as = (role: 'member' | 'moderator' | 'facilitator' | null) => ({
      ...page,
      format: 'online' as const,
      visibility: 'request' as const,
      membership:
        role === null
          ? null
          : {
              role,
              pseudonym: null,
              agreementVersion: 2,
              needsAgreement: false,
              joinedAt: page.createdAt,
            },
    });
    expect([isMember(as(null)), isMember(as('member'))]).toEqual([false, true]);
    expect([canModerate(as('member')), canModerate(as('moderator'))]).toEqual([false, true]);
    expect([isFacilitator(as('moderator')), isFacilitator(as('facilitator'))]).toEqual([
      false,
      true,
    ]);
  });
});
