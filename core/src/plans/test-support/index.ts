/** Helpers for the plans tests: deterministic ids and times. */
import { createPlan } from '../ops.js';
import type { PlanSnapshot, TemplateId } from '../schema.js';
import { translateEn } from '../templates.js';

export const T0 = '2026-11-24T10:00:00.000Z';
export const T1 = '2026-11-24T10:05:00.000Z';
export const T2 = '2026-11-24T10:20:00.000Z';

export function counterIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

export function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function newPlan(templateId: TemplateId = 'crisis', title = 'My plan'): PlanSnapshot {
  return must(
    createPlan({ templateId, title, now: T0, translate: translateEn, newId: counterIds('s') }),
  );
}
