import { describe, expect, it } from 'vitest';
import {
  decodeContent,
  encodeContent,
  MAX_CONTENT_BYTES,
  MAX_CONTENT_WARNING_LENGTH,
  MAX_TEXT_LENGTH,
} from './content.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('message content v1', () => {
  it('round trips each kind', () => {
    for (const c of [
      { v: 1, type: 'message', text: 'hi' },
      { v: 1, type: 'message', text: 'hard day', contentWarning: 'grief' },
      { v: 1, type: 'edit', replaces: 'msg_1', text: 'hi again' },
      { v: 1, type: 'delete', replaces: 'msg_1' },
    ] as const) {
      expect(decodeContent(encodeContent(c))).toEqual(c);
    }
  });

  it.each([
    ['unknown version', { v: 2, type: 'message', text: 'x' }],
    ['unknown type', { v: 1, type: 'reaction', text: 'x' }],
    ['extra field', { v: 1, type: 'message', text: 'x', sender: 'someone' }],
    ['empty text', { v: 1, type: 'message', text: '' }],
    ['text too long', { v: 1, type: 'message', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) }],
    [
      'warning too long',
      {
        v: 1,
        type: 'message',
        text: 'x',
        contentWarning: 'w'.repeat(MAX_CONTENT_WARNING_LENGTH + 1),
      },
    ],
    ['empty warning', { v: 1, type: 'message', text: 'x', contentWarning: '' }],
    ['delete with text', { v: 1, type: 'delete', replaces: 'm', text: 'x' }],
    ['edit of a bad id', { v: 1, type: 'edit', replaces: 'not an id', text: 'x' }],
    ['not an object', ['message']],
  ])('refuses %s', (_name, value) => {
    expect(decodeContent(bytes(value))).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 JSON, or too many of them', () => {
    expect(decodeContent(Uint8Array.of(0xff, 0xfe))).toBeUndefined();
    expect(decodeContent(new TextEncoder().encode('{"v":1,'))).toBeUndefined();
    const padded = new TextEncoder().encode(
      `${' '.repeat(MAX_CONTENT_BYTES)}{"v":1,"type":"message","text":"x"}`,
    );
    expect(decodeContent(padded)).toBeUndefined();
  });
});
