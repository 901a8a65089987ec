/**
 * The calls the reach-out pages make, from the circle's typed client (web/src/lib/circles/api.ts):
 * every answer is checked against its core schema, and failures are values.
 */
import { circlesApi, type NewReachout } from '$lib/circles/api';

const c = circlesApi();

export type CreateReachout = NewReachout;
export const circles = c.circles;
export const reachouts = c.reachouts;
export const reachout = c.reachout;
export const createReachout = c.reachOut;
export const markSeen = c.seen;
export const respond = c.respond;
export const closeReachout = c.close;
export const shares = c.shares;
export const sharedItems = c.sharedItems;
