import { describe, expect, it } from 'vitest';
import { errorId, fieldAttrs, fieldId, problemMessage } from './field';

describe('the editor’s field plumbing', () => {
  it('names a field with a problem as invalid and points at its message and hint', () => {
    const problems = { name: { field: 'name', code: 'required' as const } };
    expect(fieldAttrs('name', problems, 'name-hint')).toEqual({
      id: 're-name',
      'aria-invalid': 'true',
      'aria-describedby': 're-name-error name-hint',
    });
    expect(fieldAttrs('email', problems)).toEqual({
      id: 're-email',
      'aria-invalid': undefined,
      'aria-describedby': undefined,
    });
    expect(fieldId('phones.0.number')).toBe('re-phones.0.number');
    expect(errorId('kinds')).toBe('re-kinds-error');
  });

  it('words each kind of problem', () => {
    expect(problemMessage({ field: 'name', code: 'tooLong', max: 200 })).toEqual({
      id: 'resources.edit.errors.tooLong',
      values: { max: 200 },
    });
    expect(problemMessage({ field: 'kinds', code: 'tooFew' }).id).toBe(
      'resources.edit.errors.kindsFew',
    );
    expect(problemMessage({ field: 'url', code: 'invalid', detail: 'must be a URL' })).toEqual({
      id: 'resources.edit.errors.invalid',
      values: { detail: 'must be a URL' },
    });
  });
});
