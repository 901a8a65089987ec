import { seesPost, standing, type Standing } from '../use-cases.js';

/**
 * Who someone is on a community's board: the aid capability's own `standing` and `seesPost`
 * (server/aid/use-cases.ts), so posts and what happens between people agree on who sees what.
 */
export { seesPost, standing, type Standing };

/** May use the board (respond, accept an assignment): seen, on, a member, agreed, not archived. */
export type UseRefusal = 'aid_board_off' | 'agreement_needed' | 'forbidden';
export function mayUse(s: Standing): UseRefusal | null {
  if (!s.member) return 'forbidden';
  if (!s.enabled || s.archived) return 'aid_board_off';
  if (!s.agreed) return 'agreement_needed';
  return null;
}
