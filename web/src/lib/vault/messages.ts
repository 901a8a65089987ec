/** i18n ids and values for flow errors (session.ts), so every page words them the same way. */
import type { FlowError } from './errors';

export function flowErrorMessage(error: FlowError): {
  id: string;
  values?: Record<string, number | string>;
} {
  if (error.error === 'rate_limited') {
    return error.retryAfter
      ? { id: 'flowErrors.rate_limited', values: { seconds: error.retryAfter } }
      : { id: 'flowErrors.rate_limited_unknown' };
  }
  return { id: `flowErrors.${error.error}` };
}
