/**
 * How plan items are shown on the conflict-choice page and in the export preview: a title and
 * a short plain text, read from the decrypted JSON without the plan schemas (small, no zod).
 */
import { parseJson, registerDescriber, type Description } from '../vault/describe';

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

const STANCES: Record<string, string> = {
  want: 'I want this',
  accept: 'I would accept this',
  refuse: "I don't want this",
};

function entryLine(e: Json): string {
  const parts = [e.text, e.name, e.reach, e.role, e.helps, e.hinders]
    .map(str)
    .filter((s) => s !== '');
  if (e.involve === 'no') parts.push('must not be involved');
  const stance = STANCES[str(e.stance)];
  if (stance !== undefined) parts.push(stance);
  return `- ${parts.join(' · ')}`;
}

function sectionText(s: Json): string {
  if (typeof s.body === 'string') return s.body;
  const entries = Array.isArray(s.entries) ? s.entries : [];
  return entries.map((e) => entryLine(obj(e))).join('\n');
}

function describeJson(plaintext: Uint8Array, show: (v: Json) => Description): Description {
  const json = parseJson(plaintext);
  if (json === undefined) throw new Error('not JSON');
  return show(obj(json.value));
}

export function registerPlanDescribers(): void {
  registerDescriber('plan', (p) =>
    describeJson(p, (v) => ({
      title: str(v.title),
      text: `${Array.isArray(v.sectionIds) ? v.sectionIds.length : 0} sections`,
    })),
  );
  registerDescriber('plan.section', (p) =>
    describeJson(p, (v) => ({ title: str(v.title), text: sectionText(v) })),
  );
  registerDescriber('plan.version', (p) =>
    describeJson(p, (v) => {
      const snapshot = obj(v.snapshot);
      const sections = Array.isArray(snapshot.sections) ? snapshot.sections.map(obj) : [];
      return {
        title: `${str(obj(snapshot.plan).title)} (${str(v.savedAt)})`,
        text: sections.map((s) => `## ${str(s.title)}\n${sectionText(s)}`).join('\n\n'),
      };
    }),
  );
}

registerPlanDescribers();
