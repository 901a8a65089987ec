import { describe, expect, it } from 'vitest';
import { errorKey, readChosenFiles, type NamedText } from './admin';

const file = (name: string, text: string): NamedText => ({ name, text: async () => text });

describe('reading the files chosen for an import', () => {
  it('reads one services.json as an HSDS page and counts its services', async () => {
    const r = await readChosenFiles([file('services.json', '\uFEFF{"contents":[{},{}]}')]);
    expect(r).toEqual({
      ok: true,
      format: 'hsds-json',
      data: { contents: [{}, {}] },
      count: 2,
    });
  });

  it('reads CSV files into rows per lower-cased file name, header on, blank lines skipped', async () => {
    const r = await readChosenFiles([
      file('Services.CSV', 'id,name\r\na,Harbour\r\n\r\nb,"Quay, the"\r\n'),
      file('phones.csv', 'id,service_id,number\n1,a,01632 960123\n'),
    ]);
    expect(r).toEqual({
      ok: true,
      format: 'hsds-tabular',
      data: {
        'services.csv': [
          { id: 'a', name: 'Harbour' },
          { id: 'b', name: 'Quay, the' },
        ],
        'phones.csv': [{ id: '1', service_id: 'a', number: '01632 960123' }],
      },
      count: 2,
    });
  });

  it('says why files cannot be used', async () => {
    expect(await readChosenFiles([])).toEqual({ ok: false, problem: 'none' });
    expect(
      await readChosenFiles([file('services.json', '{}'), file('phones.csv', 'id\n1\n')]),
    ).toEqual({ ok: false, problem: 'mixed' });
    expect(await readChosenFiles([file('services.json', '{not json')])).toEqual({
      ok: false,
      problem: 'unreadable',
      file: 'services.json',
      kind: 'json',
    });
    expect(await readChosenFiles([file('notes.txt', 'hello')])).toMatchObject({
      ok: false,
      problem: 'unreadable',
      file: 'notes.txt',
    });
  });

  it('words failures by code, anything unknown as other', () => {
    expect(errorKey({ code: 'network' })).toBe('resources.admin.errors.network');
    expect(errorKey({ code: 'hsds_invalid' })).toBe('resources.admin.errors.other');
  });
});
