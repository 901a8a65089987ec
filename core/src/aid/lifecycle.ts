/**
 * The lifecycle of a mutual aid post (docs/AID.md, "Statuses and the lifecycle"), as a pure
 * function: who may move a post (or one occurrence of recurring help) from which status to which.
 * The server calls `transition` inside the transaction that makes the change, with the status it
 * read under the row's lock, and maps a refusal to `409 invalid_transition` or `403 forbidden`.
 *
 *   open ──→ helping ──→ done            (the person helped confirms; a coordinator may record
 *    │  ↖──────┘  │                        it handled offline)
 *    ├──→ withdrawn ←─┘                  (the author; a moderator closing it)
 *    └──→ expired  (the expiry worker)   (expired and withdrawn can be opened again)
 *
 * Actors, relative to the post:
 * - `author`: who posted it (for a post made on someone's behalf, the coordinator who made it);
 * - `partner`: the person helping with a need, or receiving an offer (the "helper" on a
 *   need) — set when the post moves to `helping`;
 * - `coordinator`: a coordinator of the post's community who is neither of those;
 * - `moderator`: a moderator of the community (instance admin; the group's keepers);
 * - `system`: Tend itself (the expiry worker);
 * - `other`: anyone else.
 * When one person holds several roles, the server tries them in the order above and takes the
 * first that is allowed (`transitionAsAny`).
 *
 * "The person who asked confirms it is done": for a need that is the author, for an offer the
 * partner (who asked for what was offered).
 */
import { err, ok, type Result } from '../result.js';

export const AID_STATUSES = ['open', 'helping', 'done', 'withdrawn', 'expired'] as const;
export type AidStatus = (typeof AID_STATUSES)[number];
export const AID_ACTORS = [
  'author',
  'partner',
  'coordinator',
  'moderator',
  'system',
  'other',
] as const;
export type AidActor = (typeof AID_ACTORS)[number];
export type AidPostKind = 'need' | 'offer';

/** What the change does to the post's partner (the person helping or receiving). */
export type PartnerEffect = 'set' | 'clear' | 'keep';

export interface TransitionRequest {
  readonly kind: AidPostKind;
  readonly from: AidStatus;
  readonly to: AidStatus;
  readonly actor: AidActor;
  /** For `from: 'withdrawn'`: who withdrew it (only a moderator reopens what a moderator closed). */
  readonly withdrawnBy?: AidActor;
}

export interface Transition {
  readonly from: AidStatus;
  readonly to: AidStatus;
  readonly actor: AidActor;
  /** `set`: the request must name the partner (someone who responded, or an accepted assignment). */
  readonly partner: PartnerEffect;
  /** The change is a moderator's: append it to the moderation audit log in the same transaction. */
  readonly audited: boolean;
  /** No change can follow. */
  readonly final: boolean;
}

export type TransitionError =
  /** There is no such change (for this kind of post, from this status). */
  | { readonly code: 'invalid_transition'; readonly detail: string }
  /** The change exists, but not for this actor. */
  | { readonly code: 'forbidden'; readonly detail: string };

interface Rule {
  readonly from: AidStatus;
  readonly to: AidStatus;
  readonly actors: (kind: AidPostKind, withdrawnBy: AidActor | undefined) => readonly AidActor[];
  /** Absent: the change exists for both kinds. */
  readonly kinds?: readonly AidPostKind[];
  readonly partner: PartnerEffect;
}

/** The person who asked: confirms done. */
export const askerOf = (kind: AidPostKind): AidActor => (kind === 'need' ? 'author' : 'partner');

const always =
  (...actors: AidActor[]) =>
  () =>
    actors;

/** Every change there is. Anything not listed is `invalid_transition`. */
const RULES: readonly Rule[] = [
  // Someone is helping: the author chose a responder, or an assignment was accepted by everyone.
  { from: 'open', to: 'helping', actors: always('author', 'coordinator'), partner: 'set' },
  // Met another way, or handled offline: a need only (an offer that is no longer there is withdrawn).
  {
    from: 'open',
    to: 'done',
    kinds: ['need'],
    actors: always('author', 'coordinator'),
    partner: 'keep',
  },
  { from: 'open', to: 'withdrawn', actors: always('author', 'moderator'), partner: 'keep' },
  { from: 'open', to: 'expired', actors: always('system'), partner: 'keep' },
  // It did not work out: the author, the partner stepping back, or a coordinator to reassign.
  {
    from: 'helping',
    to: 'open',
    actors: always('author', 'partner', 'coordinator'),
    partner: 'clear',
  },
  // Done: confirmed by the person who asked, or recorded by a coordinator.
  {
    from: 'helping',
    to: 'done',
    actors: (kind) => [askerOf(kind), 'coordinator'],
    partner: 'keep',
  },
  { from: 'helping', to: 'withdrawn', actors: always('author', 'moderator'), partner: 'clear' },
  { from: 'helping', to: 'expired', actors: always('system'), partner: 'clear' },
  // Still needed after all.
  { from: 'expired', to: 'open', actors: always('author'), partner: 'keep' },
  {
    from: 'withdrawn',
    to: 'open',
    actors: (_kind, by) => (by === 'moderator' ? ['moderator'] : ['author']),
    partner: 'keep',
  },
];

/** Whether a status can never change again. */
export const isFinal = (status: AidStatus): boolean => status === 'done';

/** Statuses a post is on the board with (listed, matched, open to responses). */
export const isActive = (status: AidStatus): boolean => status === 'open' || status === 'helping';

/** May `actor` move a post of `kind` from `from` to `to`? */
export function transition(req: TransitionRequest): Result<Transition, TransitionError> {
  const rule = RULES.find(
    (r) =>
      r.from === req.from &&
      r.to === req.to &&
      (r.kinds === undefined || r.kinds.includes(req.kind)),
  );
  if (!rule) {
    return err({
      code: 'invalid_transition',
      detail:
        req.from === req.to
          ? `it is already ${req.from}`
          : `a ${req.kind} cannot go from ${req.from} to ${req.to}`,
    });
  }
  if (!rule.actors(req.kind, req.withdrawnBy).includes(req.actor)) {
    return err({
      code: 'forbidden',
      detail: `the ${req.actor} cannot move a ${req.kind} from ${req.from} to ${req.to}`,
    });
  }
  return ok({
    from: req.from,
    to: req.to,
    actor: req.actor,
    partner: rule.partner,
    audited: req.actor === 'moderator',
    final: isFinal(req.to),
  });
}

/**
 * For someone holding several roles (the author who is also a coordinator): the first of their
 * roles, in AID_ACTORS order, that may make the change; else the refusal for the first role.
 */
export function transitionAsAny(
  req: Omit<TransitionRequest, 'actor'> & { readonly actors: readonly AidActor[] },
): Result<Transition, TransitionError> {
  const roles = AID_ACTORS.filter((a) => req.actors.includes(a));
  let first: Result<Transition, TransitionError> | undefined;
  for (const actor of roles.length > 0 ? roles : (['other'] as const)) {
    const r = transition({ ...req, actor });
    if (r.ok) return r;
    first ??= r;
  }
  return first!;
}

// ─── Expiry and its reminder ────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
/** The reminder comes this long before expiry (or halfway, for a post that lives less than twice that). */
export const REMINDER_BEFORE_MS = 3 * DAY_MS;
export interface ExpiryPlan {
  /** Epoch ms: the post expires (open or helping → expired) at this time. */
  readonly expiresAt: number;
  /** Epoch ms: "Is this still needed?" is sent to the author at this time. */
  readonly remindAt: number;
}

/**
 * When a post expires and when its author is reminded. It expires `expiryDays` after it was posted
 * (or renewed), or one day after the end of its `when` if that comes first (a need "by Friday" is
 * off the board by Saturday); recurring help and ongoing posts expire after `expiryDays` and can be
 * renewed. The reminder comes three days before expiry, or halfway through a shorter life.
 */
export function expiryPlan(input: {
  readonly postedAt: number;
  readonly expiryDays: number;
  /** The end of the post's `when` (`by`, `window`), or null (ongoing, recurring). */
  readonly whenEndsAt: number | null;
}): ExpiryPlan {
  const byDays = input.postedAt + input.expiryDays * DAY_MS;
  const byWhen = input.whenEndsAt === null ? Infinity : input.whenEndsAt + DAY_MS;
  const expiresAt = Math.max(input.postedAt + 1, Math.min(byDays, byWhen));
  const life = expiresAt - input.postedAt;
  const remindAt = expiresAt - Math.min(REMINDER_BEFORE_MS, Math.floor(life / 2));
  return { expiresAt, remindAt };
}

export type ExpiryStep = 'none' | 'remind' | 'expire';

/**
 * What the expiry worker does with a post now: expire it, remind its author (once: not if a
 * reminder was already sent for this expiry), or nothing. Only open and helping posts expire.
 */
export function expiryStep(input: {
  readonly status: AidStatus;
  readonly now: number;
  readonly plan: ExpiryPlan;
  /** When the reminder for the current expiry was sent, or null. */
  readonly remindedAt: number | null;
}): ExpiryStep {
  if (!isActive(input.status)) return 'none';
  if (input.now >= input.plan.expiresAt) return 'expire';
  if (input.now >= input.plan.remindAt && input.remindedAt === null) return 'remind';
  return 'none';
}
