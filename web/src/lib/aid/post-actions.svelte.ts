/**
 * What a post's page and its dates (ui/Occurrences.svelte) do with a post, once for both: respond
 * (a named post opens the encrypted conversation from this browser, then goes to it), open the
 * conversation of a waiting response on an anonymous post (then goes to it), choose someone,
 * decline, withdraw a response, change the status, keep the post up longer. One object per view
 * holds whether a call is under way and what to say after it, as message keys ('' for nothing).
 */
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import { generateId } from '$core/crypto/ids';
import { circlesApi } from '../circles/api';
import { unlockedKeys } from '../vault/state.svelte';
import type { Vault } from '../vault/sync/vault';
import { chooseChange, conversationOf, statusChange, talkErrorKey } from './actions';
import type { AidApi, PostPageWire, ResponseWire } from './api';
import { errorKey, type StatusAction } from './view';

/** What the view gives: its API client, the post it shows, and how to read the post again. */
export interface PostActionsHost {
  readonly aid: AidApi;
  readonly postId: string;
  reload(): Promise<void>;
}

type Outcome = { ok: boolean; code?: string };

export class PostActions {
  busy = $state(false);
  /** A message key for what went wrong, or ''. */
  problem = $state('');
  /** A message key for what was done, or ''. */
  note = $state('');

  constructor(private readonly host: PostActionsHost) {}

  /** One call: busy while it runs; a failure's words in `problem`. */
  async attempt<R extends Outcome>(call: () => Promise<R>): Promise<R> {
    this.problem = '';
    this.note = '';
    this.busy = true;
    const r = await call();
    this.busy = false;
    if (!r.ok) this.problem = errorKey({ code: (r as Outcome & { code: string }).code });
    return r;
  }

  /** One change: as attempt, then "changed" when it worked, and the post read again. */
  async run(call: () => Promise<Outcome>): Promise<void> {
    const r = await this.attempt(call);
    if (r.ok) this.note = 'aid.post.changed';
    await this.host.reload();
  }

  change(a: StatusAction, occurrenceId?: string): Promise<void> {
    return this.run(() =>
      this.host.aid.changeStatus(this.host.postId, statusChange(a, occurrenceId)),
    );
  }

  choose(r: ResponseWire, occurrenceId?: string): Promise<void> {
    return this.run(() =>
      this.host.aid.changeStatus(this.host.postId, chooseChange(r, occurrenceId)),
    );
  }

  decline(r: ResponseWire): Promise<void> {
    return this.run(() => this.host.aid.decline(r.id));
  }

  withdrawResponse(id: string): Promise<void> {
    return this.run(() => this.host.aid.withdrawResponse(id));
  }

  renew(): Promise<void> {
    return this.run(() => this.host.aid.renew(this.host.postId));
  }

  /** "I can help" / "I'd like this", for the whole post or one date. */
  async respond(
    vault: Vault,
    post: Pick<PostPageWire, 'id' | 'anonymous' | 'author' | 'authorKeys'>,
    occurrenceId?: string,
  ): Promise<void> {
    const keys = unlockedKeys();
    if (keys === null) return;
    this.problem = '';
    this.note = '';
    this.busy = true;
    const talk = await import('./talk');
    const r = await talk.respond(
      { aid: this.host.aid, vault, me: { accountId: keys.accountId, identity: keys.identity } },
      post,
      generateId(),
      occurrenceId,
    );
    this.busy = false;
    if (!r.ok) {
      this.problem = talkErrorKey(r.error);
      await this.host.reload();
      return;
    }
    if (r.response.conversationId !== null) {
      await goto(resolve('/messages/[id]', { id: r.response.conversationId }));
      return;
    }
    await this.host.reload();
  }

  /** The author opens the conversation of a waiting response on an anonymous post. */
  async openFor(vault: Vault, response: ResponseWire): Promise<void> {
    const keys = unlockedKeys();
    if (keys === null) return;
    this.problem = '';
    this.busy = true;
    const talk = await import('./talk');
    const r = await talk.openForResponse(
      {
        aid: this.host.aid,
        circles: circlesApi(),
        vault,
        me: { accountId: keys.accountId, identity: keys.identity },
      },
      response,
    );
    this.busy = false;
    if (!r.ok) {
      this.problem = talkErrorKey(r.error);
      return;
    }
    const again = await this.host.aid.responses(this.host.postId);
    const opened = again.ok ? conversationOf(again.value.responses, response.id) : null;
    if (opened !== null) await goto(resolve('/messages/[id]', { id: opened }));
    else await this.host.reload();
  }
}
