import type { Generated } from 'kysely';

/**
 * The shape of Tend's database, shared by SQLite and PostgreSQL. Timestamps are ISO-8601 UTC
 * strings (`2026-11-24T08:00:00.000Z`): they sort as text and read the same on both engines.
 * Each capability adds its tables here, next to the migration that creates them.
 */
export interface InstanceSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AccountsTable {
  id: string;
  /** Normalised handle (core/src/accounts/handle.ts). */
  handle: string;
  /** Optional, only for notifications and invitations. */
  email: string | null;
  role: 'admin' | 'member';
  /** KDF parameters as JSON (docs/PROTOCOL.md). */
  kdf: string;
  salt_seed: string;
  auth_public_key: string;
  recovery_auth_public_key: string;
  master_key_by_passphrase: string;
  master_key_by_recovery: string;
  /** The self-signed public identity keys, as JSON (docs/PROTOCOL.md). */
  public_key_bundle: string;
  wrapped_identity_x25519: string;
  wrapped_identity_ed25519: string;
  /** Last change sequence number handed out in this account's vault. */
  vault_seq: Generated<number>;
  /** Bytes of envelopes currently stored in this account's vault. */
  vault_bytes: Generated<number>;
  /** Last realtime event sequence number handed out to this account. */
  event_seq: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session token, base64url: the token itself is never stored. */
  id: string;
  account_id: string;
  /** A short description of the browser, shown in the list of sessions. */
  label: string;
  created_at: string;
  last_seen_at: string;
  /** Absolute expiry; idle expiry is last_seen_at + the idle limit. */
  expires_at: string;
}

export interface AuthChallengesTable {
  id: string;
  handle: string;
  purpose: string;
  nonce: string;
  expires_at: string;
}

export interface AuthThrottleTable {
  /** `<purpose>:<normalised handle>`. */
  key: string;
  failures: number;
  blocked_until: string;
  updated_at: string;
}

export interface InvitesTable {
  /** SHA-256 of the invite token, base64url. */
  id: string;
  created_by: string | null;
  note: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface VaultCollectionKeysTable {
  account_id: string;
  collection: string;
  key_id: number;
  /** The collection key wrapped under the owner's master key (key wrap v1, base64url). */
  wrapped_key: string;
  created_at: string;
}

export interface VaultItemsTable {
  account_id: string;
  collection: string;
  item_id: string;
  /** Per-item revision, 1 for the first version; optimistic concurrency compares it. */
  revision: number;
  /** Account-wide change number: pulls page through changes in this order. */
  seq: number;
  /** The sealed envelope (base64url), or null for a deletion (tombstone). */
  envelope: string | null;
  size: number;
  updated_at: string;
}

export interface CircleMembersTable {
  owner_id: string;
  member_id: string;
  created_at: string;
}

export interface CircleInvitationsTable {
  id: string;
  owner_id: string;
  invitee_id: string | null;
  kind: 'handle' | 'link';
  /** SHA-256 of the link token (base64url), for link invitations. */
  link_token_hash: string | null;
  /** The invitation key wrapped to the invitee (share key v1), for handle invitations. */
  share_key: string | null;
  /** Sealed ask (envelope, base64url). */
  ask: string;
  /** Sealed answer (envelope, base64url). */
  reply: string | null;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired';
  created_at: string;
  expires_at: string;
  answered_at: string | null;
}

export interface CircleBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: string;
}

export interface VaultSharesTable {
  id: string;
  owner_id: string;
  collection: string;
  member_id: string;
  key_id: number;
  share_key: string;
  created_at: string;
}

export interface LinkSharesTable {
  id: string;
  owner_id: string;
  token_hash: string;
  envelope: string;
  revision: number;
  created_at: string;
  expires_at: string;
}

export interface ReachoutsTable {
  id: string;
  owner_id: string;
  level: 'check-in' | 'struggling' | 'help-now';
  status: 'open' | 'cancelled' | 'resolved';
  escalate_after_minutes: number | null;
  /** created_at + escalate_after_minutes, while the escalation is still to come. */
  escalate_at: string | null;
  escalated_at: string | null;
  created_at: string;
  closed_at: string | null;
}

export interface ReachoutRecipientsTable {
  reachout_id: string;
  member_id: string;
  wave: number;
  notified_at: string | null;
  held: 'paused' | 'quiet-hours' | null;
  seen_at: string | null;
  response: 'seen' | 'calling' | 'on-my-way' | 'cant' | null;
  eta_minutes: number | null;
  responded_at: string | null;
}

export interface ConversationsTable {
  id: string;
  kind: 'direct';
  /** Where it was started: `direct`, `listen` ("someone to talk to") or `aid`. */
  context: 'direct' | 'listen' | 'aid';
  context_id: string | null;
  created_by: string | null;
  created_at: string;
  /** Set when either participant left: nobody can post any more. */
  closed_at: string | null;
  /** The current conversation key id and who made it (the signer of its share keys). */
  key_id: number;
  key_by: string;
  /** Last message sequence number handed out in this conversation. */
  last_seq: Generated<number>;
  last_message_at: string | null;
}

export interface ConversationMembersTable {
  conversation_id: string;
  account_id: string;
  /** The current conversation key as a share key v1 for this member (base64url). */
  share_key: string;
  key_id: number;
  joined_at: string;
  left_at: string | null;
  last_read_seq: Generated<number>;
}

/** Every conversation key a member was given (PROTOCOL §13.1), by key id, and who made it. */
export interface ConversationKeysTable {
  conversation_id: string;
  account_id: string;
  key_id: number;
  key_by: string;
  /** A share key v1 for this member (base64url). */
  share_key: string;
}

export interface ConversationMessagesTable {
  conversation_id: string;
  seq: number;
  id: string;
  sender_id: string;
  key_id: number;
  /** Message record v1, base64url: sealed and signed in the sender's browser. */
  record: string;
  created_at: string;
}

export interface EventsTable {
  account_id: string;
  seq: number;
  type: string;
  /** JSON object of ids (never content). */
  data: string;
  created_at: string;
}

export interface NotifySettingsTable {
  account_id: string;
  /** 1 or 0. */
  email: number;
  push: number;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string | null;
  paused_until: string | null;
  updated_at: string;
}

export interface PushSubscriptionsTable {
  id: string;
  account_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export interface NotifyOutboxTable {
  id: string;
  account_id: string;
  channel: 'email' | 'push';
  kind: string;
  dedupe_key: string;
  /** JSON: what is sent, fixed words and a path only (never content). */
  payload: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface GroupsTable {
  id: string;
  /** Lower-case handle of the group, unique (core/src/groups/api.ts slugSchema). */
  slug: string;
  name: string;
  description: string;
  /** JSON array of topics, for display (group_tags holds them for filtering). */
  topics: string;
  /** JSON array of language tags. */
  languages: string;
  format: 'online' | 'in-person' | 'both';
  /** Coarse area chosen by the facilitators ("North London"), never an address. */
  area: string | null;
  visibility: 'public' | 'request' | 'invite';
  /** JSON array of join questions (by-request groups). */
  join_questions: string;
  /** The current agreement version (group_agreements). */
  agreement_version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export interface GroupTagsTable {
  group_id: string;
  kind: 'topic' | 'language';
  value: string;
}

export interface GroupAgreementsTable {
  group_id: string;
  version: number;
  text: string;
  written_by: string | null;
  created_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  account_id: string;
  role: 'member' | 'moderator' | 'facilitator';
  /** The agreement version this member last accepted. */
  agreement_version: number;
  pseudonym: string | null;
  pseudonym_key: string | null;
  joined_at: string;
}

export interface GroupJoinRequestsTable {
  id: string;
  group_id: string;
  account_id: string;
  /** JSON array of answers, one per join question. */
  answers: string;
  agreement_version: number;
  pseudonym: string | null;
  status: 'pending' | 'approved' | 'declined' | 'withdrawn';
  decided_by: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface GroupInvitationsTable {
  id: string;
  group_id: string;
  invited_by: string | null;
  kind: 'handle' | 'link';
  invitee_id: string | null;
  link_token_hash: string | null;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  uses: Generated<number>;
  created_at: string;
  expires_at: string;
  answered_at: string | null;
}

export interface GroupMeetingsTable {
  id: string;
  group_id: string;
  title: string;
  description: string;
  format: 'in-person' | 'online';
  place: string | null;
  /** Shown only to members whose RSVP for that occurrence (or the series) is yes. */
  online_link: string | null;
  /** Local start `YYYY-MM-DDTHH:MM` in `time_zone`. */
  start_local: string;
  time_zone: string;
  duration_minutes: number;
  rrule: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
}

export interface GroupMeetingChangesTable {
  meeting_id: string;
  original_local: string;
  occurrence_id: string;
  cancelled: number;
  start_local: string | null;
  duration_minutes: number | null;
  place: string | null;
  note: string | null;
  revision: number;
  updated_by: string | null;
  updated_at: string;
}

export interface GroupRsvpsTable {
  meeting_id: string;
  /** An occurrence id, or '*' for the whole series. */
  occurrence_id: string;
  account_id: string;
  answer: 'yes' | 'no' | 'maybe';
  reminder_minutes: number | null;
  updated_at: string;
  remind_at: string | null;
  remind_occurrence: string | null;
  remind_start: string | null;
  reminded_through: string | null;
}

export interface GroupCalendarFeedsTable {
  id: string;
  account_id: string;
  group_id: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** A conversation thread of a group (docs/GROUPS.md, "Conversations between meetings"). */
export interface GroupThreadsTable {
  id: string;
  group_id: string;
  title: string;
  author_id: string | null;
  /** The pseudonym it was started under, or null (under the handle). */
  posted_as: string | null;
  content_warning: string | null;
  first_post_id: string;
  locked_at: string | null;
  locked_by: string | null;
  hidden_at: string | null;
  hidden_by: string | null;
  created_at: string;
  updated_at: string;
  last_post_at: string;
  reply_count: Generated<number>;
}

export interface GroupPostsTable {
  id: string;
  thread_id: string;
  group_id: string;
  author_id: string | null;
  posted_as: string | null;
  /** Markdown as written; '' once deleted. */
  body: string;
  content_warning: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_by: string | null;
}

export interface GroupPostReactionsTable {
  post_id: string;
  account_id: string;
  reaction: 'heart' | 'hug' | 'candle' | 'thanks' | 'same-here';
  created_at: string;
}

export interface GroupMentionsTable {
  post_id: string;
  account_id: string;
  created_at: string;
}

export interface ListenWindowsTable {
  account_id: string;
  starts_at: string;
  ends_at: string;
  /** JSON array of LISTEN_TOPICS. */
  topics: string;
  /** JSON array of language tags (lower case). */
  languages: string;
  words: string;
  updated_at: string;
}

export interface ListenAsksTable {
  id: string;
  asker_id: string;
  topics: string;
  languages: string;
  status: 'open' | 'accepted' | 'talking' | 'withdrawn' | 'expired' | 'ended';
  listener_id: string | null;
  conversation_id: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  closed_at: string | null;
}

export interface ListenAskCandidatesTable {
  ask_id: string;
  account_id: string;
}

export interface ListenFeedbackTable {
  ask_id: string;
  from_id: string;
  to_id: string;
  /** JSON array of FEEDBACK_WORDS. */
  words: string;
  text: string | null;
  created_at: string;
}

export interface GroupNotifyChoicesTable {
  group_id: string;
  account_id: string;
  choice: 'everything' | 'mentions-and-meetings' | 'nothing';
  updated_at: string;
}

/** Moderation (docs/MODERATION.md). */
export interface ModerationReportsTable {
  id: string;
  kind: 'post' | 'thread' | 'conversation' | 'aid-post';
  group_id: string | null;
  thread_id: string | null;
  post_id: string | null;
  conversation_id: string | null;
  /** Never returned to anyone but the reporter. */
  reporter_id: string | null;
  reported_id: string | null;
  reason: string;
  words: string | null;
  /** Conversation reports: JSON array of the revealed, verified messages. */
  messages: string | null;
  status: 'open' | 'resolved' | 'dismissed' | 'withdrawn';
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

export interface ModerationMutesTable {
  muter_id: string;
  muted_id: string;
  created_at: string;
}

export interface GroupBansTable {
  group_id: string;
  account_id: string;
  banned_by: string | null;
  created_at: string;
}

export interface ModerationNotesTable {
  id: string;
  account_id: string;
  group_id: string | null;
  text: string;
  created_at: string;
}

/** Append-only: rows are inserted, never updated or deleted. */
export interface ModerationAuditTable {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  target_id: string | null;
  group_id: string | null;
  thread_id: string | null;
  post_id: string | null;
  report_id: string | null;
  reason: string | null;
  /** Mutual aid: the aid post an action or a `reveal-aid-author` was about (optional on insert). */
  aid_post_id?: string | null;
}

/** Mutual aid (docs/AID.md). Booleans are integers 0 / 1 on both engines. */
export interface AidCommunitiesTable {
  /** `instance` or `group.<groupId>`. */
  community: string;
  group_id: string | null;
  enabled: number;
  default_expiry_days: number;
  updated_by: string | null;
  updated_at: string;
}

export interface AidCoordinatorsTable {
  community: string;
  account_id: string;
  added_by: string | null;
  added_at: string;
}

export interface AidCategoriesTable {
  id: string;
  label: string;
  created_by: string | null;
  created_at: string;
  retired_at: string | null;
}

export interface AidAreasTable {
  id: string;
  name: string;
  parent_id: string | null;
  /** The centre in whole hundredths of a degree. */
  lat_centi: number;
  lon_centi: number;
  created_at: string;
  updated_at: string;
  retired_at: string | null;
}

export type AidStatusColumn = 'open' | 'helping' | 'done' | 'withdrawn' | 'expired';
export type AidActorColumn =
  'author' | 'partner' | 'coordinator' | 'moderator' | 'system' | 'other';

export interface AidPostsTable {
  id: string;
  community: string;
  group_id: string | null;
  /** Never returned for an anonymous post (only the audited author route reads it). */
  author_id: string | null;
  kind: 'need' | 'offer';
  category: string;
  description: string;
  content_warning: string | null;
  area_id: string | null;
  reach_km: number;
  when_kind: 'by' | 'window' | 'ongoing' | 'recurring';
  /** The `when` as sent (core/src/aid/api.ts whenSchema), JSON. */
  when_json: string;
  /** JSON array of [start, end] epoch ms. */
  intervals: string;
  /** The span of the intervals (ISO); null when nothing is left. */
  starts_at: string | null;
  ends_at: string | null;
  urgent: number;
  amount_minor: number | null;
  currency: string | null;
  anonymous: number;
  name_in_print: number;
  on_behalf: number;
  status: AidStatusColumn;
  partner_id: string | null;
  withdrawn_by: AidActorColumn | null;
  handled_offline: number;
  first_helping_at: string | null;
  done_at: string | null;
  /** The days chosen at posting or at the last renewal. */
  expiry_days: number;
  /** When it was posted or last renewed (expiryPlan's postedAt). */
  renewed_at: string;
  expires_at: string;
  remind_at: string;
  reminded_at: string | null;
  hidden_at: string | null;
  hidden_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface AidOccurrencesTable {
  post_id: string;
  occurrence_id: string;
  starts_at: string;
  ends_at: string;
  status: AidStatusColumn;
  partner_id: string | null;
  withdrawn_by: AidActorColumn | null;
  first_helping_at: string | null;
  done_at: string | null;
  handled_offline: number;
}

export interface AidResponsesTable {
  id: string;
  post_id: string;
  /** Null: the whole post. Unique per (post, occurrence, responder). */
  occurrence_id: string | null;
  responder_id: string;
  status: 'waiting' | 'talking' | 'declined' | 'withdrawn';
  conversation_id: string | null;
  created_at: string;
  answered_at: string | null;
}

export interface AidAssignmentsTable {
  id: string;
  post_id: string;
  occurrence_id: string | null;
  helper_id: string;
  proposed_by: string | null;
  status: 'proposed' | 'accepted' | 'declined' | 'withdrawn';
  asker_consented_at: string | null;
  helper_consented_at: string | null;
  created_at: string;
  closed_at: string | null;
}

export interface AidThanksTable {
  post_id: string;
  /** Null: the whole post. Unique per (post, occurrence). */
  occurrence_id: string | null;
  from_id: string | null;
  to_id: string | null;
  /** JSON array of THANKS_WORDS. */
  words: string;
  text: string | null;
  created_at: string;
}

export interface AidMatchesTable {
  need_id: string;
  offer_id: string;
  distance_km: number | null;
  created_at: string;
}

export interface AidMatchNoticesTable {
  account_id: string;
  rate: 'never' | 'weekly' | 'daily';
  last_told_at: string | null;
  pending_since: string | null;
}

/** The resource directory (docs/RESOURCES.md, "Tables"). Booleans are integers 0 / 1. */
export interface ResourceKeepersTable {
  account_id: string;
  added_by: string | null;
  added_at: string;
}

export interface ResourceKindsTable {
  id: string;
  label: string;
  created_by: string | null;
  created_at: string;
  retired_at: string | null;
}

export interface ResourceOrganizationsTable {
  id: string;
  name: string;
  description: string | null;
  website: string | null;
  updated_at: string;
}

export type CrisisValueColumn = 'yes' | 'no' | 'unknown';

export interface ResourcesTable {
  id: string;
  version: number;
  /** The content as published (resourceContentSchema), JSON. */
  content: string;
  name_key: string;
  organization_id: string;
  status: string;
  retired_at: string | null;
  hours_known: number;
  cost_kind: string | null;
  /** JSON list of reach ways. */
  reach: string;
  crisis_police: CrisisValueColumn;
  crisis_hold: CrisisValueColumn;
  crisis_tracing: CrisisValueColumn;
  crisis_sharing: CrisisValueColumn;
  crisis_police_checked_on: string | null;
  crisis_hold_checked_on: string | null;
  crisis_tracing_checked_on: string | null;
  crisis_sharing_checked_on: string | null;
  checked_on: string | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
  /** PostgreSQL only (a tsvector written by the repository); never selected. */
  search?: never;
}

export interface ResourceKindLinksTable {
  resource_id: string;
  kind_id: string;
}

export interface ResourceLanguagesTable {
  resource_id: string;
  code: string;
}

export interface ResourceLocationsTable {
  resource_id: string;
  location_id: string;
  physical: number;
  lat_centi: number | null;
  lon_centi: number | null;
}

export interface ResourceRevisionsTable {
  resource_id: string;
  version: number;
  kind: string;
  content: string;
  retired: number;
  by_id: string | null;
  suggestion_id: string | null;
  suggested_by_id: string | null;
  note: string | null;
  created_at: string;
}

export interface ResourceSuggestionsTable {
  id: string;
  resource_id: string | null;
  base_version: number | null;
  content: string;
  note: string | null;
  source: string | null;
  status: 'open' | 'published' | 'declined' | 'withdrawn';
  author_id: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  published_version: number | null;
  created_at: string;
}

export interface ResourceFlagsTable {
  id: string;
  resource_id: string;
  account_id: string | null;
  reason: string;
  note: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolve_note: string | null;
}

export interface ResourceChangeSeqTable {
  id: number;
  value: number;
}

/** SQLite only: the FTS5 table of resources' searchable text. */
export interface ResourcesFtsTable {
  resource_id: string;
  body: string;
}

export interface Database {
  instance_settings: InstanceSettingsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  auth_challenges: AuthChallengesTable;
  auth_throttle: AuthThrottleTable;
  invites: InvitesTable;
  vault_collection_keys: VaultCollectionKeysTable;
  vault_items: VaultItemsTable;
  circle_members: CircleMembersTable;
  circle_invitations: CircleInvitationsTable;
  circle_blocks: CircleBlocksTable;
  vault_shares: VaultSharesTable;
  link_shares: LinkSharesTable;
  reachouts: ReachoutsTable;
  reachout_recipients: ReachoutRecipientsTable;
  conversations: ConversationsTable;
  conversation_members: ConversationMembersTable;
  conversation_messages: ConversationMessagesTable;
  conversation_keys: ConversationKeysTable;
  events: EventsTable;
  notify_settings: NotifySettingsTable;
  push_subscriptions: PushSubscriptionsTable;
  notify_outbox: NotifyOutboxTable;
  groups: GroupsTable;
  group_tags: GroupTagsTable;
  group_agreements: GroupAgreementsTable;
  group_members: GroupMembersTable;
  group_join_requests: GroupJoinRequestsTable;
  group_invitations: GroupInvitationsTable;
  group_threads: GroupThreadsTable;
  group_posts: GroupPostsTable;
  group_post_reactions: GroupPostReactionsTable;
  group_mentions: GroupMentionsTable;
  moderation_reports: ModerationReportsTable;
  moderation_mutes: ModerationMutesTable;
  group_bans: GroupBansTable;
  moderation_notes: ModerationNotesTable;
  moderation_audit: ModerationAuditTable;
  group_meetings: GroupMeetingsTable;
  group_meeting_changes: GroupMeetingChangesTable;
  group_rsvps: GroupRsvpsTable;
  group_calendar_feeds: GroupCalendarFeedsTable;
  listen_windows: ListenWindowsTable;
  listen_asks: ListenAsksTable;
  listen_ask_candidates: ListenAskCandidatesTable;
  listen_feedback: ListenFeedbackTable;
  group_notify_choices: GroupNotifyChoicesTable;
  aid_communities: AidCommunitiesTable;
  aid_coordinators: AidCoordinatorsTable;
  aid_categories: AidCategoriesTable;
  aid_areas: AidAreasTable;
  aid_posts: AidPostsTable;
  aid_occurrences: AidOccurrencesTable;
  aid_responses: AidResponsesTable;
  aid_assignments: AidAssignmentsTable;
  aid_thanks: AidThanksTable;
  aid_matches: AidMatchesTable;
  aid_match_notices: AidMatchNoticesTable;
  resource_keepers: ResourceKeepersTable;
  resource_kinds: ResourceKindsTable;
  resource_organizations: ResourceOrganizationsTable;
  resources: ResourcesTable;
  resource_kind_links: ResourceKindLinksTable;
  resource_languages: ResourceLanguagesTable;
  resource_locations: ResourceLocationsTable;
  resource_revisions: ResourceRevisionsTable;
  resource_suggestions: ResourceSuggestionsTable;
  resource_flags: ResourceFlagsTable;
  resource_change_seq: ResourceChangeSeqTable;
  resources_fts: ResourcesFtsTable;
  resource_keeper_notify: ResourceKeeperNotifyTable;
}

/** A keeper's opt-in to the daily "New suggestions for the directory" notification. */
export interface ResourceKeeperNotifyTable {
  account_id: string;
  /** 1 opted in, 0 not (a missing row: not). */
  daily_suggestions: number;
  /** When the last one was queued (ISO), or null. */
  last_sent_at: string | null;
}
