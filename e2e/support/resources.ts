/**
 * Resources for browser tests, created through the API by a keeper or admin (the instance's
 * first account is its admin). Content starts from core's fictional sample resource (made-up
 * names, UK drama-range numbers); `resourceContent` changes what a test needs.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ResourceContent } from '../../core/src/resources/api.js';
import type { Fact } from '../../core/src/resources/crisis.js';
import type { Hours } from '../../core/src/resources/hours.js';
import { sampleResource } from '../../core/src/resources/test-support/sample.js';
import type { ApiClient } from '../../bench/api-client.js';

/** A local date `days` before today (UTC), for checks that are recent. */
export const daysAgo = (days: number): string =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** Open every day, all day. */
export const aroundTheClock = (timeZone = 'Europe/London'): Hours => ({
  timeZone,
  weekly: [
    {
      id: randomUUID(),
      days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
      opensAt: '00:00',
      closesAt: '24:00',
      validFrom: null,
      validTo: null,
    },
  ],
  closures: [],
  note: 'Day and night, every day',
});

/** Known hours that were only ever valid long ago: closed now, and not opening. */
export const closedNow = (timeZone = 'Europe/London'): Hours => ({
  timeZone,
  weekly: [
    {
      id: randomUUID(),
      days: ['MO', 'TU', 'WE', 'TH', 'FR'],
      opensAt: '10:00',
      closesAt: '16:00',
      validFrom: '2020-01-01',
      validTo: '2020-01-31',
    },
  ],
  closures: [],
  note: null,
});

/** A known fact, checked `days` ago. */
export const checkedFact = (value: 'yes' | 'no', days = 10, note: string | null = null): Fact => ({
  value,
  check: { checkedOn: daysAgo(days), checkedBy: 'Sam, directory keeper', source: 'Phoned them' },
  note,
});

export const unknownFact: Fact = { value: 'unknown', check: null, note: null };

/** The sample resource's content with fresh ids and the given changes. */
export function resourceContent(changes: Partial<ResourceContent> = {}): ResourceContent {
  const { id: _id, ...content } = sampleResource();
  const fresh = {
    ...content,
    organization: { ...content.organization, id: randomUUID() },
    phones: content.phones.map((p) => ({ ...p, id: randomUUID() })),
    locations: content.locations.map((l) => ({ ...l, id: randomUUID() })),
    checkedOn: daysAgo(10),
  };
  return { ...fresh, ...changes };
}

/** Creates a resource as a keeper or admin; returns its id. */
export async function createResource(
  api: ApiClient,
  content: ResourceContent,
  id: string = randomUUID(),
): Promise<string> {
  const res = await api.send('POST', '/api/v1/resources', { id, content, note: null });
  expect(res.status, `create resource: ${res.text}`).toBe(201);
  return id;
}
