import { describe, expect, it } from 'vitest';
import {
  answerGroupInvitationSchema,
  browseQuerySchema,
  createGroupInvitationSchema,
  createGroupSchema,
  GROUP_LIMITS,
  languageSchema,
  slugSchema,
  topicSchema,
  updateGroupSchema,
} from './api.js';

const group = {
  id: 'g1',
  slug: 'voices-leeds',
  name: 'Hearing Voices Leeds',
  description: 'A peer-run space.',
  topics: ['hearing voices'],
  languages: ['en'],
  format: 'online',
  area: null,
  visibility: 'public',
  joinQuestions: [],
  agreement: 'What is said here stays here.',
};

describe('groups contract', () => {
  it('normalises slugs, topics and language tags, and refuses what is not one', () => {
    expect(slugSchema.parse('Voices-Leeds')).toBe('voices-leeds');
    // The web app's pages /groups/new and /groups/join/… are not group addresses.
    for (const reserved of ['new', 'NEW', 'join']) {
      expect(slugSchema.safeParse(reserved).success, reserved).toBe(false);
    }
    expect(slugSchema.parse('new-voices')).toBe('new-voices');
    for (const bad of ['ab', '-voices', 'voices-', 'no spaces', 'é-group', 'x'.repeat(49)]) {
      expect(slugSchema.safeParse(bad).success, bad).toBe(false);
    }
    expect(topicSchema.parse('  Hearing   VOICES ')).toBe('hearing voices');
    expect(topicSchema.safeParse('   ').success).toBe(false);
    expect(languageSchema.parse('pt-BR')).toBe('pt-br');
    expect(languageSchema.parse('cy')).toBe('cy');
    for (const bad of ['english', 'e', 'en_GB', '', 'en-']) {
      expect(languageSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('accepts a group and refuses repeats, control characters, extra fields and excess', () => {
    expect(createGroupSchema.parse(group)).toMatchObject({ slug: 'voices-leeds' });
    const bad: Record<string, unknown>[] = [
      { topics: ['Grief', 'grief'] },
      { languages: ['en', 'EN'] },
      { languages: [] },
      { name: 'tab\tis fine but bell \u0007 is not' },
      { description: 'x'.repeat(GROUP_LIMITS.description + 1) },
      { joinQuestions: Array<string>(GROUP_LIMITS.joinQuestions + 1).fill('Why?') },
      { topics: Array.from({ length: GROUP_LIMITS.topics + 1 }, (_, i) => `t${i}`) },
      { visibility: 'hidden' },
      { format: 'phone' },
      { diagnosis: 'anything' },
      { agreement: '' },
      { id: 'mine' },
      { id: 'by-slug' },
    ];
    for (const over of bad) {
      expect(createGroupSchema.safeParse({ ...group, ...over }).success, JSON.stringify(over)).toBe(
        false,
      );
    }
    // New lines and tabs are ordinary text.
    expect(createGroupSchema.safeParse({ ...group, description: 'a\n\tb' }).success).toBe(true);
  });

  it('edits need at least one field', () => {
    expect(updateGroupSchema.safeParse({}).success).toBe(false);
    expect(updateGroupSchema.safeParse({ area: null }).success).toBe(true);
    expect(updateGroupSchema.safeParse({ agreement: 'no: agreements are versioned' }).success).toBe(
      false,
    );
  });

  it('an invitation is by handle or by link, never both or neither', () => {
    const hash = 'a'.repeat(43);
    expect(createGroupInvitationSchema.safeParse({ id: 'i', handle: 'ada' }).success).toBe(true);
    expect(createGroupInvitationSchema.safeParse({ id: 'i', linkTokenHash: hash }).success).toBe(
      true,
    );
    expect(
      createGroupInvitationSchema.safeParse({ id: 'i', handle: 'ada', linkTokenHash: hash })
        .success,
    ).toBe(false);
    expect(createGroupInvitationSchema.safeParse({ id: 'i' }).success).toBe(false);
  });

  it('accepting an invitation names the agreement version; declining does not', () => {
    expect(answerGroupInvitationSchema.safeParse({ accept: true }).success).toBe(false);
    expect(
      answerGroupInvitationSchema.safeParse({ accept: true, agreementVersion: 2 }).success,
    ).toBe(true);
    expect(answerGroupInvitationSchema.safeParse({ accept: false }).success).toBe(true);
    expect(
      answerGroupInvitationSchema.safeParse({ accept: false, agreementVersion: 2 }).success,
    ).toBe(false);
  });

  it('browse queries: limits are numbers from the query string, within bounds', () => {
    expect(browseQuerySchema.parse({ limit: '10', topic: 'Grief' })).toEqual({
      limit: 10,
      topic: 'grief',
    });
    for (const bad of [{ limit: '0' }, { limit: '51' }, { limit: 'x' }, { cursor: 'a b' }]) {
      expect(browseQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
