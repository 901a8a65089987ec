/**
 * The accounts API (server/accounts/routes.ts), typed and validated with the shared core
 * schemas. Every function returns an ApiResult; nothing throws for expected failures.
 */
import { z } from 'zod';
import {
  accountSelfSchema,
  challengeResponseSchema,
  endSessionsResponseSchema,
  inviteSchema,
  registrationSchema,
  sessionSchema,
  settingsSchema,
  type AccountSelf,
  type ChallengeResponse,
} from '$core/accounts/api';
import type { RegistrationMode } from '$core/accounts/handle';
import type {
  AccountKeysWire,
  PassphraseChangeWire,
  RecoveryKeyChangeWire,
} from '$core/crypto/schemas';
import type { AuthPurpose } from '$core/crypto';
import { api, type ApiClient, type ApiResult } from './client';

export type { AccountSelf, ChallengeResponse };
export type Session = z.infer<typeof sessionSchema>;
export type Registration = z.infer<typeof registrationSchema>;
export type Invite = z.infer<typeof inviteSchema>;
export type NewInvite = Invite & { token: string };

/** A challenge signed by the client: what every proof-carrying request sends. */
export interface SignedChallenge {
  readonly challengeId: string;
  readonly handle: string;
  readonly signature: string;
}

const sessionsSchema = z.object({ sessions: z.array(sessionSchema) });
const invitesSchema = z.object({ invites: z.array(inviteSchema) });
const newInviteSchema = inviteSchema.extend({ token: z.string().min(1) });
const endedSchema = z.object({ ended: z.number() });

export function accountsApi(client: ApiClient = api) {
  return {
    registration: (): Promise<ApiResult<Registration>> =>
      client.get('/api/v1/accounts/registration', registrationSchema),
    challenge: (handle: string, purpose: AuthPurpose): Promise<ApiResult<ChallengeResponse>> =>
      client.request('POST', '/api/v1/auth/challenge', {
        body: { handle, purpose },
        schema: challengeResponseSchema,
      }),
    signUp: (input: {
      handle: string;
      email?: string;
      invite?: string;
      keys: AccountKeysWire;
    }): Promise<ApiResult<AccountSelf>> =>
      client.request('POST', '/api/v1/accounts', { body: input, schema: accountSelfSchema }),
    signIn: (signed: SignedChallenge): Promise<ApiResult<AccountSelf>> =>
      client.request('POST', '/api/v1/sessions', { body: signed, schema: accountSelfSchema }),
    me: (): Promise<ApiResult<AccountSelf>> => client.get('/api/v1/accounts/me', accountSelfSchema),
    sessions: (): Promise<ApiResult<{ sessions: Session[] }>> =>
      client.get('/api/v1/sessions', sessionsSchema),
    signOut: (): Promise<ApiResult<undefined>> =>
      client.request('DELETE', '/api/v1/sessions/current'),
    endOtherSessions: (): Promise<ApiResult<{ ended: number }>> =>
      client.request('DELETE', '/api/v1/sessions', {
        query: { keepCurrent: 'true' },
        schema: endedSchema,
      }),
    endAllSessions: (): Promise<ApiResult<{ ended: number }>> =>
      client.request('DELETE', '/api/v1/sessions', {
        query: { keepCurrent: 'false' },
        schema: endedSchema,
      }),
    endSession: (id: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/sessions/${encodeURIComponent(id)}`),
    changePassphrase: (
      signed: SignedChallenge,
      change: PassphraseChangeWire,
      endOtherSessions: boolean,
    ): Promise<ApiResult<undefined>> =>
      client.request('PUT', '/api/v1/accounts/me/passphrase', {
        body: { ...signed, change, endOtherSessions },
      }),
    replaceRecoveryKey: (
      signed: SignedChallenge,
      change: RecoveryKeyChangeWire,
    ): Promise<ApiResult<undefined>> =>
      client.request('PUT', '/api/v1/accounts/me/recovery-key', { body: { ...signed, ...change } }),
    recover: (
      signed: SignedChallenge,
      change: PassphraseChangeWire,
    ): Promise<ApiResult<AccountSelf>> =>
      client.request('POST', '/api/v1/recovery', {
        body: { ...signed, change },
        schema: accountSelfSchema,
      }),
    deleteAccount: (signed: SignedChallenge): Promise<ApiResult<undefined>> =>
      client.request('DELETE', '/api/v1/accounts/me', { body: signed }),
    // Admin
    settings: (): Promise<ApiResult<{ registrationMode: RegistrationMode }>> =>
      client.get('/api/v1/admin/settings', settingsSchema),
    setRegistrationMode: (
      registrationMode: RegistrationMode,
    ): Promise<ApiResult<{ registrationMode: RegistrationMode }>> =>
      client.request('PUT', '/api/v1/admin/settings', {
        body: { registrationMode },
        schema: settingsSchema,
      }),
    createInvite: (input: {
      note?: string;
      expiresInDays?: number;
    }): Promise<ApiResult<NewInvite>> =>
      client.request('POST', '/api/v1/admin/invites', { body: input, schema: newInviteSchema }),
    invites: (): Promise<ApiResult<{ invites: Invite[] }>> =>
      client.get('/api/v1/admin/invites', invitesSchema),
    withdrawInvite: (id: string): Promise<ApiResult<undefined>> =>
      client.request('DELETE', `/api/v1/admin/invites/${encodeURIComponent(id)}`),
    endSessions: (handle?: string): Promise<ApiResult<{ ended: number }>> =>
      client.request('POST', '/api/v1/admin/sessions/end', {
        body: handle === undefined ? {} : { handle },
        schema: endSessionsResponseSchema,
      }),
  };
}

export type AccountsApi = ReturnType<typeof accountsApi>;
