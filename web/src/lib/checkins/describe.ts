/**
 * How check-in items are shown on the conflict-choice page and in the export preview: a title
 * and a short plain text, read from the decrypted JSON without the schemas (small, no zod).
 */
import { parseJson, registerDescriber, type Description } from '../vault/describe';

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

const show = (v: unknown): string =>
  Array.isArray(v)
    ? v.map(show).join(', ')
    : typeof v === 'boolean'
      ? v
        ? 'yes'
        : 'no'
      : String(v);

function describeJson(plaintext: Uint8Array, f: (v: Json) => Description): Description {
  const json = parseJson(plaintext);
  if (json === undefined) throw new Error('not JSON');
  return f(obj(json.value));
}

export function registerCheckinDescribers(): void {
  registerDescriber('checkin', (p) =>
    describeJson(p, (v) => ({
      title: `Check-in ${str(v.at)}`,
      text: [
        ...Object.entries(obj(v.values)).map(([k, x]) => `${k}: ${show(x)}`),
        ...(str(v.note) ? [str(v.note)] : []),
      ].join('\n'),
    })),
  );
  registerDescriber('checkin.tracker', (p) =>
    describeJson(p, (v) => ({
      title: str(v.name),
      text: [str(v.kind), str(v.unit), v.archived === true ? 'archived' : '']
        .filter((s) => s !== '')
        .join(' · '),
    })),
  );
  registerDescriber('checkin.journal', (p) =>
    describeJson(p, (v) => ({
      title: `Journal ${str(v.at)}${str(v.contentWarning) ? ` (${str(v.contentWarning)})` : ''}`,
      text: str(v.body),
    })),
  );
  registerDescriber('checkin.experiment', (p) =>
    describeJson(p, (v) => ({
      title: str(v.title),
      text: `From ${str(v.startsOn)} for ${show(v.days ?? 14)} days`,
    })),
  );
  registerDescriber('checkin.watch', (p) =>
    describeJson(p, (v) => ({
      title: str(v.label),
      text: Array.isArray(v.steps) ? v.steps.map((s) => `- ${str(s)}`).join('\n') : '',
    })),
  );
}

registerCheckinDescribers();
