import type { Migration } from 'kysely';
import * as instanceSettings from './20261124080000-instance-settings.js';
import * as accountsAndVault from './20261124090000-accounts-and-vault.js';
import * as circles from './20261124100000-circles.js';
import * as groups from './20261125100000-groups.js';
import * as conversations from './20261125110000-conversations.js';
import * as groupThreads from './20261125120000-group-threads.js';
import * as meetings from './20261125130000-meetings.js';
import * as moderation from './20261125140000-moderation.js';
import * as listening from './20261125150000-listening.js';
import * as groupNotifications from './20261125160000-group-notifications.js';
import * as conversationKeys from './20261125170000-conversation-keys.js';
import * as aid from './20261125180000-aid.js';
import * as aidBoardArea from './20261126090000-aid-board-area.js';
import * as resources from './20261126100000-resources.js';
import * as resourcesKeeperNotify from './20261127090000-resources-keeper-notify.js';

/**
 * Every migration, by name. Listed explicitly (rather than read from the folder at run time) so
 * the same list works from TypeScript source, in tests and in the compiled build. A test checks
 * that every `<timestamp>-<name>.ts` file in this folder is listed here.
 */
export const migrations: Record<string, Migration> = {
  '20261124080000-instance-settings': instanceSettings,
  '20261124090000-accounts-and-vault': accountsAndVault,
  '20261124100000-circles': circles,
  '20261125100000-groups': groups,
  '20261125110000-conversations': conversations,
  '20261125120000-group-threads': groupThreads,
  '20261125130000-meetings': meetings,
  '20261125140000-moderation': moderation,
  '20261125150000-listening': listening,
  '20261125160000-group-notifications': groupNotifications,
  '20261125170000-conversation-keys': conversationKeys,
  '20261125180000-aid': aid,
  '20261126090000-aid-board-area': aidBoardArea,
  '20261126100000-resources': resources,
  '20261127090000-resources-keeper-notify': resourcesKeeperNotify,
};
