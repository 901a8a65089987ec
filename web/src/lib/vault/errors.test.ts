import { describe, expect, it } from 'vitest';
import { fromApi } from './errors';
import { flowErrorMessage } from './messages';

const failure = (code: string, status = 400, retryAfter?: number) => ({
  ok: false as const,
  status,
  code,
  message: '',
  ...(retryAfter === undefined ? {} : { retryAfter }),
});

describe('API failures as flow errors', () => {
  it('maps the codes people need to hear about, and nothing else leaks through', () => {
    expect(fromApi(failure('sign_in_failed', 401)).error).toBe('sign_in_failed');
    expect(fromApi(failure('handle_taken', 409)).error).toBe('handle_taken');
    expect(fromApi(failure('invite_invalid', 403)).error).toBe('invite_invalid');
    expect(fromApi(failure('registration_closed', 403)).error).toBe('registration_closed');
    expect(fromApi(failure('weak_kdf')).error).toBe('weak_kdf_params');
    expect(fromApi(failure('unauthenticated', 401)).error).toBe('signed_out');
    expect(fromApi(failure('network', 0)).error).toBe('network');
    expect(fromApi(failure('internal_error', 500)).error).toBe('unexpected');
    expect(fromApi(failure('bad_response', 200)).error).toBe('unexpected');
  });

  it('rate limits carry the wait into the message', () => {
    const limited = fromApi(failure('rate_limited', 429, 42));
    expect(limited).toEqual({ ok: false, error: 'rate_limited', retryAfter: 42 });
    expect(flowErrorMessage(limited)).toEqual({
      id: 'flowErrors.rate_limited',
      values: { seconds: 42 },
    });
    expect(flowErrorMessage(fromApi(failure('rate_limited', 429)))).toEqual({
      id: 'flowErrors.rate_limited_unknown',
    });
    expect(flowErrorMessage(fromApi(failure('handle_taken', 409)))).toEqual({
      id: 'flowErrors.handle_taken',
    });
  });
});
