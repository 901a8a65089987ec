import { z } from 'zod';
import { notifySettingsSchema } from '../circles/api.js';

/**
 * `GET /api/v1/notify/settings`: the person's choices (notifySettingsSchema) and what this Tend
 * can do for them, so the settings page can say plainly why a channel would stay quiet.
 */
export const notifySettingsResponseSchema = notifySettingsSchema.extend({
  /** The account has an email address. */
  hasEmail: z.boolean(),
  /** This Tend sends email (SMTP_URL is set). */
  emailServer: z.boolean(),
  /** How many devices of this account receive web push. */
  pushDevices: z.number(),
});
export type NotifySettingsResponse = z.infer<typeof notifySettingsResponseSchema>;

/** `GET /api/v1/notify/push-key`: the VAPID public key a browser subscribes with. */
export const pushKeyResponseSchema = z.object({ publicKey: z.string() });

/** `DELETE /api/v1/notify/push-subscriptions`: forget this device's subscription. */
export const deletePushSubscriptionSchema = z.strictObject({ endpoint: z.url().max(2048) });

/**
 * Per-group notification choices (docs/GROUPS.md, "Notifications"): `everything` (new posts too),
 * `mentions-and-meetings` (the default) or `nothing`. Quiet hours and a pause apply on top.
 */
export const GROUP_NOTIFY_CHOICES = ['everything', 'mentions-and-meetings', 'nothing'] as const;
export type GroupNotifyChoice = (typeof GROUP_NOTIFY_CHOICES)[number];
export const DEFAULT_GROUP_NOTIFY_CHOICE: GroupNotifyChoice = 'mentions-and-meetings';

/** `GET` / `PUT /api/v1/groups/:groupId/notifications`: my choice for this group. */
export const groupNotifyChoiceSchema = z.strictObject({ choice: z.enum(GROUP_NOTIFY_CHOICES) });
