import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '../../core/src/errors.js';

export function errorBody(
  code: ErrorCode,
  message: string,
  extra: Partial<ErrorBody['error']> = {},
): ErrorBody {
  return { error: { code, message, ...extra } };
}

/** Sends Tend's JSON error shape. Use cases return typed failures; routes turn them into this. */
export function sendError(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  extra: Partial<ErrorBody['error']> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, { ...extra, requestId: String(reply.request.id) }));
}

const fastifyCodes: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The request says it carries JSON but its body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_request',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 400,
    code: 'bad_request',
    message: 'The Content-Type header is malformed.',
  },
};

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.') || '(body)';
}

/**
 * Every failure leaves as `{ error: { code, message } }` with a stable code. Client mistakes are
 * 4xx; only Tend's own bugs are 500, and their details go to the log, never to the client.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      return sendError(reply, 400, 'invalid_input', `Some of the ${where} is not valid.`, {
        issues: error.validation.map((v) => ({
          path: formatPath(String(v.instancePath).split('/').filter(Boolean)),
          message: v.message ?? 'Invalid value.',
        })),
      });
    }
    const known = error.code === undefined ? undefined : fastifyCodes[error.code];
    if (known !== undefined) return sendError(reply, known.status, known.code, known.message);
    if (error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN') {
      request.log.warn({ code: error.code }, 'csrf check failed');
      return sendError(
        reply,
        403,
        'csrf_failed',
        'This request is missing a valid CSRF token. Reload the page and try again.',
      );
    }
    // A built file removed after start-up (a rebuild while running) is simply not there.
    if (error.code === 'ENOENT') {
      return sendError(reply, 404, 'not_found', 'That file is not here (any more).');
    }
    if (error.statusCode === 429)
      return sendError(reply, 429, 'rate_limited', 'Too many requests. Please wait a little.');
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code }, 'client error');
      return sendError(
        reply,
        error.statusCode,
        'bad_request',
        'The request could not be understood.',
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(
      reply,
      500,
      'internal_error',
      'Something went wrong on our side. Please try again.',
    );
  });
}
