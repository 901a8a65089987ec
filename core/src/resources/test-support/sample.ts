import { unknownPolicy } from '../crisis.js';
import type { Resource } from '../api.js';

/**
 * A fictional resource for tests (no real service: the name, numbers and address are made up;
 * numbers use the UK's drama range 01632 960xxx).
 */
export function sampleResource(overrides: Partial<Resource> = {}): Resource {
  const crisis = unknownPolicy();
  return {
    id: '6f1c2b8e-3a4d-4e5f-9a0b-1c2d3e4f5a6b',
    name: 'Riverton Peer Line',
    alternateName: 'RPL',
    description: 'A phone line run by people with lived experience.\nNo waiting list.',
    kinds: ['peer-line', 'warmline'],
    status: 'active',
    organization: {
      id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      name: 'Riverton Peer Collective',
      description: 'A small peer-run collective.',
      website: 'https://riverton.example/',
    },
    url: 'https://riverton.example/line',
    email: 'line@riverton.example',
    chatUrl: 'https://riverton.example/chat',
    phones: [
      {
        id: '11111111-2222-4333-8444-555555555555',
        number: '01632 960123',
        type: 'voice',
        description: 'Evenings and nights',
        languages: ['en', 'cy'],
      },
      {
        id: '11111111-2222-4333-8444-666666666666',
        number: '01632 960124',
        type: 'text',
        description: null,
        languages: [],
      },
    ],
    locations: [
      {
        id: '22222222-3333-4444-8555-666666666666',
        type: 'physical',
        name: 'The Quay drop-in',
        description: 'Ground floor, step-free.',
        address: {
          address1: '1 Old Quay',
          address2: null,
          city: 'Riverton',
          region: null,
          stateProvince: 'Riverside',
          postalCode: 'RV1 1AA',
          country: 'GB',
        },
        lat: 51.49,
        lon: -2.65,
        url: null,
      },
    ],
    languages: ['en', 'cy'],
    cost: { kind: 'free', note: null },
    serviceArea: { name: 'Anyone in Riverton', description: null },
    hours: {
      timeZone: 'Europe/London',
      weekly: [
        {
          id: '33333333-4444-4555-8666-777777777777',
          days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
          opensAt: '18:00',
          closesAt: '02:00',
          validFrom: null,
          validTo: null,
        },
      ],
      closures: [
        {
          id: '33333333-4444-4555-8666-888888888888',
          from: '2026-12-25',
          to: '2026-12-25',
          note: 'Closed on Christmas Day',
        },
      ],
      note: '6pm to 2am, every night',
    },
    crisis: {
      ...crisis,
      facts: {
        ...crisis.facts,
        policeWithoutConsent: {
          value: 'no',
          check: {
            checkedOn: '2026-10-01',
            checkedBy: 'Sam, directory keeper',
            source: 'https://riverton.example/confidentiality',
          },
          note: 'Never, even if you tell them you are thinking of suicide.',
        },
        tracesCalls: {
          value: 'no',
          check: { checkedOn: '2026-10-01', checkedBy: 'Sam', source: 'Phoned them' },
          note: null,
        },
      },
      confidentiality: {
        text: 'What you say stays on the call. They keep no notes with names.',
        check: { checkedOn: '2026-10-01', checkedBy: 'Sam', source: 'Phoned them' },
      },
      words: 'They will not call anyone without your say-so.',
    },
    checkedOn: '2026-10-01',
    ...overrides,
  };
}
