/**
 * `GET /api/v1/resources/me` without the directory's schemas, so the admin page can decide what
 * to show before it loads its sections (and their zod schemas) on demand.
 */
import { api, type ApiResult, type ResponseSchema } from '../../api/client';

export interface Roles {
  readonly keeper: boolean;
  readonly admin: boolean;
}

const rolesSchema: ResponseSchema<Roles> = {
  safeParse(value: unknown) {
    if (typeof value !== 'object' || value === null) return { success: false };
    const { keeper, admin } = value as Record<string, unknown>;
    return typeof keeper === 'boolean' && typeof admin === 'boolean'
      ? { success: true, data: { keeper, admin } }
      : { success: false };
  },
};

export const myRoles = (): Promise<ApiResult<Roles>> =>
  api.get('/api/v1/resources/me', rolesSchema);
