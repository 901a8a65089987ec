import { describe, expect, it } from 'vitest';
import { sampleResource } from '$core/resources/test-support/sample';
import type { ResourceContent } from '$core/resources/api';
import {
  checkDraft,
  contentToDraft,
  draftToContent,
  fieldFor,
  newPhone,
  normaliseUrl,
  parseCoordinate,
  parseLanguages,
} from './form';

function sampleContent(): ResourceContent {
  const { id: _id, ...content } = sampleResource();
  return content;
}

let n = 0;
const ids = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

describe('the resource editor form', () => {
  it('round-trips a resource unchanged', () => {
    const content = sampleContent();
    const draft = contentToDraft(content, 'Europe/London', ids);
    expect(draftToContent(draft)).toEqual(content);
    const checked = checkDraft(draft);
    expect(checked.ok).toBe(true);
  });

  it('starts a new resource with a new organisation id, the device zone and nothing known', () => {
    const draft = contentToDraft(null, 'America/New_York', ids);
    expect(draft.organization.id).toMatch(/^00000000-/);
    expect(draft.timeZone).toBe('America/New_York');
    expect(draft.facts.policeWithoutConsent.value).toBe('unknown');
    const checked = checkDraft(draft);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      const fields = checked.problems.map((p) => p.field);
      expect(fields).toContain('name');
      expect(fields).toContain('kinds');
      expect(fields).toContain('organization.name');
    }
  });

  it('empty text becomes null; URLs are written out; languages and coordinates are read', () => {
    expect(normaliseUrl('riverton.example')).toBe('https://riverton.example/');
    expect(normaliseUrl('  ')).toBeNull();
    expect(normaliseUrl('http://a.example/x')).toBe('http://a.example/x');
    expect(parseLanguages('en, CY  pt-BR,en')).toEqual(['en', 'cy', 'pt-br']);
    expect(parseCoordinate('51.4923')).toBe(51.49);
    expect(parseCoordinate('')).toBeNull();
    expect(parseCoordinate('north')).toBeNaN();
  });

  it('a yes without its check is named on the check fields; the typed words stay', () => {
    const draft = contentToDraft(sampleContent(), 'Europe/London', ids);
    draft.facts.involuntaryHold.value = 'yes';
    draft.facts.involuntaryHold.note = 'Only if a doctor is called';
    const checked = checkDraft(draft);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.problems.map((p) => p.field)).toEqual(
        expect.arrayContaining([
          'facts.involuntaryHold.checkedOn',
          'facts.involuntaryHold.checkedBy',
          'facts.involuntaryHold.source',
        ]),
      );
    }
    expect(draft.facts.involuntaryHold.note).toBe('Only if a doctor is called');
  });

  it('names a phone with letters and an opening without days by their place in the list', () => {
    const draft = contentToDraft(sampleContent(), 'Europe/London', ids);
    const phone = newPhone(ids);
    phone.number = '0800 CALL NOW';
    draft.phones.push(phone);
    draft.weekly[0]!.days = [];
    const checked = checkDraft(draft);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      const fields = checked.problems.map((p) => p.field);
      expect(fields).toContain('phones.2.number');
      expect(fields).toContain('weekly.0.days');
    }
  });

  it('hours not known is null, and a missing zone is named', () => {
    const draft = contentToDraft(sampleContent(), 'Europe/London', ids);
    draft.hoursKnown = false;
    expect(draftToContent(draft).hours).toBeNull();
    draft.hoursKnown = true;
    draft.timeZone = 'Not/AZone';
    const checked = checkDraft(draft);
    expect(!checked.ok && checked.problems[0]?.field).toBe('timeZone');
  });

  it('maps schema paths to fields', () => {
    expect(fieldFor(['crisis', 'facts', 'tracesCalls', 'check'])).toBe(
      'facts.tracesCalls.checkedBy',
    );
    expect(fieldFor(['locations', 1, 'address', 'country'])).toBe('locations.1.address.country');
    expect(fieldFor(['locations', 0, 'lon'])).toBe('locations.0.lon');
    expect(fieldFor(['hours', 'closures', 2, 'to'])).toBe('closures.2.to');
    expect(fieldFor(['cost', 'note'])).toBe('costNote');
  });
});
