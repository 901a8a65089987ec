/**
 * The accounts I muted, for the thread views: loaded from `GET /api/v1/moderation/mutes` when a
 * conversation opens and changed by the Mute / Unmute buttons. Posts by a muted person (shown
 * under their handle) collapse, for me only; the server keeps them in the conversation.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ApiResult } from '../api/client';
import { moderationApi, type MutesWire } from './api';

export class MuteList {
  readonly ids = new SvelteSet<string>();

  constructor(private readonly calls = moderationApi()) {}

  private use(r: ApiResult<MutesWire>): ApiResult<MutesWire> {
    if (r.ok) {
      this.ids.clear();
      for (const m of r.value.mutes) this.ids.add(m.accountId);
    }
    return r;
  }

  async load(): Promise<ApiResult<MutesWire>> {
    return this.use(await this.calls.mutes());
  }

  async set(accountId: string, on: boolean): Promise<ApiResult<MutesWire>> {
    return this.use(await this.calls.mute(accountId, on));
  }
}

/** This tab's list (read again each time a conversation opens). */
export const mutes = new MuteList();
