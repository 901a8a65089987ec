import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from '../api/client';
import { groupRefs } from './groups';

const page = (id: string) => ({
  id,
  slug: `slug-${id}`,
  name: `Group ${id}`,
  description: 'A peer group.',
  topics: [],
  languages: ['en'],
  format: 'online',
  area: null,
  visibility: 'public',
  joinQuestions: [],
  archived: false,
  memberCount: 2,
  createdAt: '2026-11-25T10:00:00.000Z',
  agreement: { version: 1, text: 'Be kind.', createdAt: '2026-11-25T10:00:00.000Z' },
  membership: null,
  myRequest: null,
  myInvitationId: null,
});

describe('groupRefs', () => {
  it('asks once per group, and leaves out the ones I cannot see', async () => {
    const asked: string[] = [];
    const fetcher: Fetch = (input) => {
      asked.push(input);
      const id = input.split('/').pop() ?? '';
      return Promise.resolve(
        id === 'gone'
          ? new Response(JSON.stringify({ error: { code: 'not_found', message: '' } }), {
              status: 404,
            })
          : new Response(JSON.stringify(page(id)), { status: 200 }),
      );
    };
    const refs = await groupRefs(['a', null, 'a', 'gone'], new ApiClient(fetcher));
    expect(asked.sort()).toEqual(['/api/v1/groups/a', '/api/v1/groups/gone']);
    expect([...refs.values()]).toEqual([{ id: 'a', slug: 'slug-a', name: 'Group a' }]);
  });
});
