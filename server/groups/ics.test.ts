import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  expandSeries,
  type MeetingSeries,
  type Occurrence,
} from '../../core/src/groups/recurrence.js';
import { renderGroupFeed, uidHost, type FeedEvent } from './ics.js';

// ---------------------------------------------------------------------------------------------
// A small RFC 5545 reader for the tests: unfold, split name;params:value, unescape TEXT, and
// group components. Written from the RFC, independent of ical-generator.

interface Prop {
  readonly name: string;
  readonly params: Record<string, string>;
  readonly value: string;
}
interface Component {
  readonly type: string;
  readonly props: Prop[];
  readonly children: Component[];
}

function unfold(text: string): string[] {
  expect(text.endsWith('\r\n'), 'the last line ends with CRLF').toBe(true);
  const physical = text.split('\r\n');
  if (physical.at(-1) === '') physical.pop();
  for (const line of physical) {
    expect(line.includes('\n') || line.includes('\r'), 'a bare CR or LF in a line').toBe(false);
    expect(
      new TextEncoder().encode(line).length,
      'a line longer than 75 octets',
    ).toBeLessThanOrEqual(75);
  }
  const out: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) out[out.length - 1] += line.slice(1);
    else out.push(line);
  }
  return out;
}

function parseLine(line: string): Prop {
  const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const head = line.slice(0, colon);
  const [name, ...paramTexts] = head.split(';');
  const params: Record<string, string> = {};
  for (const p of paramTexts) {
    const [k, v] = p.split('=') as [string, string];
    params[k.toUpperCase()] = v;
  }
  return { name: name!.toUpperCase(), params, value: line.slice(colon + 1) };
}

const unescapeText = (v: string): string =>
  v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

function parseIcs(text: string): Component {
  const stack: Component[] = [];
  let root: Component | undefined;
  for (const line of unfold(text)) {
    const prop = parseLine(line);
    if (prop.name === 'BEGIN') {
      const c: Component = { type: prop.value, props: [], children: [] };
      stack.at(-1)?.children.push(c);
      stack.push(c);
    } else if (prop.name === 'END') {
      const c = stack.pop();
      expect(c?.type).toBe(prop.value);
      if (stack.length === 0) root = c;
    } else {
      stack.at(-1)!.props.push(prop);
    }
  }
  expect(stack).toHaveLength(0);
  return root!;
}

const get = (c: Component, name: string): string | undefined =>
  c.props.find((p) => p.name === name)?.value;
const text = (c: Component, name: string): string | undefined => {
  const v = get(c, name);
  return v === undefined ? undefined : unescapeText(v);
};
/** `20260331T180000Z` → ISO instant. */
const utc = (v: string | undefined): string =>
  new Date(
    v!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
  ).toISOString();

// ---------------------------------------------------------------------------------------------

const series: MeetingSeries = {
  id: 'hv_thursday',
  start: '2026-03-12T19:00',
  timeZone: 'Europe/London',
  durationMinutes: 90,
  rrule: 'FREQ=WEEKLY;BYDAY=TH',
  exceptions: ['2026-04-02T19:00'],
  overrides: [
    {
      originalStart: '2026-03-26T19:00',
      start: '2026-03-25T18:30',
      location: 'Friends Meeting House, room 2; side door',
      note: 'One week only: Wednesday',
      revision: 2,
    },
    { originalStart: '2026-04-09T19:00', cancelled: true, note: 'Easter' },
  ],
};

function occurrences(): Occurrence[] {
  const r = expandSeries(series, { from: '2026-03-01T00:00:00Z', to: '2026-04-20T00:00:00Z' });
  if (!r.ok) throw new Error(r.error.code);
  return [...r.value.occurrences];
}

const generatedAt = new Date('2026-03-01T12:00:00Z');

function feedFor(events: FeedEvent[], extra: { refreshMinutes?: number } = {}): string {
  return renderGroupFeed({
    name: 'Hearing Voices, Thursdays',
    host: 'tend.example.org',
    events,
    generatedAt,
    ...extra,
  });
}

describe('group calendar feed', () => {
  const os = occurrences();
  const events: FeedEvent[] = os.map((occurrence) => ({
    occurrence,
    summary: 'Hearing Voices group',
    description: 'A peer-run space. Come as you are.',
    location: 'Friends Meeting House',
  }));
  const ics = feedFor(events);
  const cal = parseIcs(ics);

  it('is a calendar with a name and a refresh hint', () => {
    expect(cal.type).toBe('VCALENDAR');
    expect(get(cal, 'VERSION')).toBe('2.0');
    expect(get(cal, 'PRODID')).toContain('Tend');
    expect(text(cal, 'X-WR-CALNAME')).toBe('Hearing Voices, Thursdays');
    expect(get(cal, 'X-PUBLISHED-TTL')).toBe('PT1H');
    const refresh = cal.props.find((p) => p.name === 'REFRESH-INTERVAL');
    expect(refresh?.params.VALUE).toBe('DURATION');
    expect(refresh?.value).toBe('PT1H');
    expect(get(parseIcs(feedFor(events, { refreshMinutes: 360 })), 'X-PUBLISHED-TTL')).toBe('PT6H');
    expect(get(parseIcs(feedFor(events, { refreshMinutes: 1 })), 'X-PUBLISHED-TTL')).toBe('PT15M');
  });

  it('has one event per occurrence, matching it exactly (UTC times, across the change of clocks)', () => {
    const vevents = cal.children.filter((c) => c.type === 'VEVENT');
    expect(vevents).toHaveLength(os.length);
    expect(os.length).toBe(6);
    vevents.forEach((e, i) => {
      const o = os[i]!;
      expect(get(e, 'UID')).toBe(`${o.occurrenceId}@tend.example.org`);
      expect(get(e, 'DTSTART')).toMatch(/^\d{8}T\d{6}Z$/);
      expect(utc(get(e, 'DTSTART'))).toBe(o.start);
      expect(utc(get(e, 'DTEND'))).toBe(o.end);
      expect(utc(get(e, 'DTSTAMP'))).toBe(generatedAt.toISOString());
      expect(text(e, 'SUMMARY')).toBe(
        o.cancelled ? 'Cancelled: Hearing Voices group' : 'Hearing Voices group',
      );
      expect(get(e, 'SEQUENCE')).toBe(String(o.sequence));
      expect(get(e, 'STATUS')).toBe(o.cancelled ? 'CANCELLED' : 'CONFIRMED');
      expect(e.props.some((p) => p.name === 'RRULE')).toBe(false);
    });
    const starts = vevents.map((e) => get(e, 'DTSTART'));
    expect(starts).toEqual([
      '20260312T190000Z',
      '20260319T190000Z',
      '20260325T183000Z', // moved: Wednesday 18:30 GMT
      '20260402T180000Z', // 19:00 BST after 29 March; cancelled
      '20260409T180000Z', // cancelled with a note
      '20260416T180000Z',
    ]);
  });

  it('reads the same with an independent parser (ical.js): every occurrence, at its instants', () => {
    const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    const read = calendar.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return {
        uid: e.uid,
        start: e.startDate.toJSDate().toISOString(),
        end: e.endDate.toJSDate().toISOString(),
        cancelled: v.getFirstPropertyValue('status') === 'CANCELLED',
        sequence: e.sequence,
        location: e.location,
      };
    });
    expect(read).toEqual(
      os.map((o) => ({
        uid: `${o.occurrenceId}@tend.example.org`,
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        cancelled: o.cancelled,
        sequence: o.sequence,
        location: expect.any(String) as unknown,
      })),
    );
  });

  it('marks moved and cancelled occurrences, with their notes and places', () => {
    const byUid = (id: string) =>
      cal.children.find((c) => get(c, 'UID') === `hv_thursday.${id}@tend.example.org`)!;
    const moved = byUid('20260326T190000Z'); // keeps the id of its original Thursday
    expect(get(moved, 'SEQUENCE')).toBe('2');
    expect(get(moved, 'STATUS')).toBe('CONFIRMED');
    expect(text(moved, 'LOCATION')).toBe('Friends Meeting House, room 2; side door');
    expect(text(moved, 'DESCRIPTION')).toBe(
      'A peer-run space. Come as you are.\n\nOne week only: Wednesday',
    );
    const excepted = byUid('20260402T180000Z');
    expect(get(excepted, 'STATUS')).toBe('CANCELLED');
    expect(get(excepted, 'SEQUENCE')).toBe('1');
    const easter = byUid('20260409T180000Z');
    expect(get(easter, 'STATUS')).toBe('CANCELLED');
    expect(text(easter, 'DESCRIPTION')).toContain('Easter');
    const plain = byUid('20260312T190000Z');
    expect(get(plain, 'SEQUENCE')).toBe('0');
    expect(text(plain, 'LOCATION')).toBe('Friends Meeting House');
  });

  it('says "cancelled" in the words given', () => {
    const cancelled = os.find((o) => o.cancelled)!;
    const out = renderGroupFeed({
      name: 'Groupe',
      host: 'tend.example.org',
      events: [{ occurrence: cancelled, summary: 'Entendeurs de voix' }],
      generatedAt,
      words: { cancelled: (s) => `Annulé : ${s}` },
    });
    expect(text(parseIcs(out).children[0]!, 'SUMMARY')).toBe('Annulé : Entendeurs de voix');
  });

  it('includes a link only where the caller puts one (per person)', () => {
    const withLink = feedFor([
      {
        occurrence: os[0]!,
        summary: 'Online group',
        url: 'https://meet.example.org/room-7',
        location: 'https://meet.example.org/room-7',
      },
      { occurrence: os[1]!, summary: 'Online group', location: 'Online (RSVP to see the link)' },
    ]);
    const [a, b] = parseIcs(withLink).children;
    expect(get(a!, 'URL')).toBe('https://meet.example.org/room-7');
    expect(get(b!, 'URL')).toBeUndefined();
    expect(withLink.match(/room-7/g)).toHaveLength(2);
  });

  it('escapes what people wrote: no injected lines, properties or events', () => {
    const hostile =
      'Group\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\nATTENDEE:mailto:a@b; x, y \\ z';
    const out = feedFor([
      { occurrence: os[0]!, summary: hostile, description: hostile, location: hostile },
    ]);
    const parsed = parseIcs(out);
    expect(parsed.children).toHaveLength(1);
    const [e] = parsed.children;
    expect(e!.props.filter((p) => p.name === 'UID')).toHaveLength(1);
    expect(e!.props.some((p) => p.name === 'ATTENDEE')).toBe(false);
    expect(text(e!, 'SUMMARY')).toBe(hostile.replace(/\r\n/g, '\n'));
    expect(text(e!, 'LOCATION')).toBe(hostile.replace(/\r\n/g, '\n'));
  });

  it('folds long and non-ASCII lines within 75 octets, and reads back unchanged', () => {
    const long = 'Ein Raum für alle, die Stimmen hören — 声を聞く人たちの集まり. '.repeat(6);
    const out = feedFor([{ occurrence: os[0]!, summary: 'Gruppe', description: long }]);
    const [e] = parseIcs(out).children;
    expect(text(e!, 'DESCRIPTION')).toBe(long);
  });

  it('is the same text for the same input, and an empty window is an empty calendar', () => {
    expect(feedFor(events)).toBe(ics);
    const empty = parseIcs(feedFor([]));
    expect(empty.children).toHaveLength(0);
    expect(text(empty, 'X-WR-CALNAME')).toBe('Hearing Voices, Thursdays');
  });

  it('uses the host name (without port) in UIDs, and refuses anything else', () => {
    const out = renderGroupFeed({
      name: 'G',
      host: 'Localhost:5173',
      events: [events[0]!],
      generatedAt,
    });
    expect(get(parseIcs(out).children[0]!, 'UID')).toBe(`${os[0]!.occurrenceId}@localhost`);
    expect(uidHost('[::1]:3000')).toBe('[::1]');
    expect(uidHost('Tend.Example.org')).toBe('tend.example.org');
    for (const host of [
      '',
      'https://tend.example',
      'a b',
      'x@y',
      'tend.example/feed',
      'a:b:c',
      '[x]',
    ]) {
      expect(uidHost(host), host).toBeNull();
      expect(() => renderGroupFeed({ name: 'G', host, events: [], generatedAt }), host).toThrow(
        TypeError,
      );
    }
  });
});
