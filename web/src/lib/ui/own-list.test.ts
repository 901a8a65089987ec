import { describe, expect, it } from 'vitest';
import { createKindSchema } from '$core/resources/api';
import { createCategorySchema } from '$core/aid/api';
import { checkWith } from './own-list';

describe('checkWith', () => {
  it('passes a good id and words through', () => {
    expect(checkWith(createKindSchema)({ id: 'night-shelter', label: 'Night shelter' })).toEqual({
      ok: true,
      value: { id: 'night-shelter', label: 'Night shelter' },
    });
  });

  it('names the fields that are wrong', () => {
    const r = checkWith(createCategorySchema)({ id: '9 bad', label: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([...r.fields].sort()).toEqual(['id', 'label']);
  });

  it('refuses a built-in id', () => {
    expect(checkWith(createKindSchema)({ id: 'warmline', label: 'Warm' })).toEqual({
      ok: false,
      fields: ['id'],
    });
  });
});
