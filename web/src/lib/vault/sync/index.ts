/** The vault for the app: `Vault.open(...)`, then put/get/list/delete/subscribe/conflicts. */
export {
  Vault,
  type ConflictChoice,
  type ReadError,
  type VaultConflict,
  type VaultEverything,
  type VaultItem,
  type VaultListing,
  type VaultOptions,
  type VaultState,
  type WriteError,
} from './vault';
export type { RejectedChange, SyncError, SyncReport, SyncResult } from './engine';
export type { FetchLike, RequestInitLike, ResponseLike } from './http';
export type { OnlineEvents } from './scheduler';
/** "Forget this device" while the vault is not open (an open one: `vault.destroy()`). */
export { databaseName, deleteVaultDb } from '../store/open';
