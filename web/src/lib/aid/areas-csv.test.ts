import { describe, expect, it } from 'vitest';
import { importAreasSchema } from '$core/aid/api';
import { centreText, coordinateOf, importBody, readAreasCsv } from './areas-csv';

const EXAMPLE = `id,name,lat,lon,parent
riverton,Riverton,51.50,-2.60,
riverton-north,Riverton North,51.53,-2.60,riverton
riverton-south,Riverton South,51.47,-2.61,riverton
old-quay,Old Quay,51.49,-2.65,riverton
`;

describe('reading a CSV of zones', () => {
  it("reads the docs' example into the import route's body", () => {
    const csv = readAreasCsv(EXAMPLE, []);
    expect(csv.fileProblem).toBeNull();
    expect(csv.problems).toEqual([]);
    expect(csv.total).toBe(4);
    expect(csv.created).toBe(4);
    expect(csv.changed).toBe(0);
    expect(csv.rows[1]).toEqual({
      id: 'riverton-north',
      name: 'Riverton North',
      lat: 51.53,
      lon: -2.6,
      parentId: 'riverton',
      retired: false,
    });
    expect(importAreasSchema.safeParse(importBody(csv)).success).toBe(true);
  });

  it('takes a byte-order mark, spaces, capitals in the header, CRLF, blank lines, no parent column', () => {
    const csv = readAreasCsv('\uFEFF ID , Name ,LAT,Lon\r\n\r\n a ,  Ayton ,1.5, 2\r\n', []);
    expect(csv.problems).toEqual([]);
    expect(csv.rows).toEqual([
      { id: 'a', name: 'Ayton', lat: 1.5, lon: 2, parentId: null, retired: false },
    ]);
  });

  it('counts zones already here as changed, keeps their retired state, and accepts them as parents', () => {
    const existing = [
      { id: 'leeds', parentId: null, retired: false },
      { id: 'ls6', parentId: 'leeds', retired: true },
    ];
    const csv = readAreasCsv(
      'id,name,lat,lon,parent\nls6,LS6,53.82,-1.57,leeds\nls7,LS7,53.82,-1.53,leeds\n',
      existing,
    );
    expect(csv.problems).toEqual([]);
    expect(csv.created).toBe(1);
    expect(csv.changed).toBe(1);
    expect(csv.rows.map((r) => [r.id, r.retired])).toEqual([
      ['ls6', true],
      ['ls7', false],
    ]);
  });

  it('numbers every bad row (the first after the header is row 1) and says what is wrong', () => {
    const csv = readAreasCsv(
      [
        'id,name,lat,lon,parent',
        'good,Good,1,1,',
        'Bad Id,Name,1,1,',
        'noname,,1,1,',
        'far,Far,91,1,',
        'west,West,1,-181,',
        'words,Words,north,1,',
        'comma,Comma,51,5,-2,6,',
        'good,Again,1,1,',
        'orphan,Orphan,1,1,nowhere',
        'self,Self,1,1,self',
        'empty-lat,Empty,,1,',
      ].join('\n'),
      [],
    );
    expect(csv.fileProblem).toBeNull();
    expect(csv.problems).toEqual([
      { row: 2, code: 'id', value: 'Bad Id' },
      { row: 3, code: 'name', value: '' },
      { row: 4, code: 'lat', value: '91' },
      { row: 5, code: 'lon', value: '-181' },
      { row: 6, code: 'lat', value: 'north' },
      { row: 7, code: 'shape', value: '' },
      { row: 8, code: 'repeated', value: 'good', other: 1 },
      { row: 9, code: 'unknown_parent', value: 'nowhere' },
      { row: 10, code: 'own_parent', value: 'self' },
      { row: 11, code: 'lat', value: '' },
    ]);
  });

  it('refuses a zone inside itself through others', () => {
    const csv = readAreasCsv('id,name,lat,lon,parent\na,A,1,1,b\nb,B,1,1,c\nc,C,1,1,a\n', []);
    expect(csv.problems.map((p) => [p.row, p.code])).toEqual([
      [1, 'cycle'],
      [2, 'cycle'],
      [3, 'cycle'],
    ]);
    // …and through a zone already here.
    const here = readAreasCsv('id,name,lat,lon,parent\nx,X,1,1,y\n', [
      { id: 'y', parentId: 'x', retired: false },
    ]);
    expect(here.problems).toEqual([{ row: 1, code: 'cycle', value: 'y' }]);
  });

  it('says when columns are missing, the file is empty, or too long', () => {
    expect(readAreasCsv('', []).fileProblem).toEqual({ code: 'empty' });
    expect(readAreasCsv('id,name,lat,lon\n', []).fileProblem).toEqual({ code: 'empty' });
    expect(readAreasCsv('id,label,lat\na,A,1\n', []).fileProblem).toEqual({
      code: 'missing_columns',
      missing: ['name', 'lon'],
    });
    const long = ['id,name,lat,lon', ...Array.from({ length: 2001 }, (_, i) => `z${i},Z,1,1`)];
    expect(readAreasCsv(long.join('\n'), []).fileProblem).toEqual({
      code: 'too_many',
      rows: 2001,
      max: 2000,
    });
  });

  it('names columns it does not use', () => {
    const csv = readAreasCsv('id,name,lat,lon,parent,notes\na,A,1,1,,hello\n', []);
    expect(csv.ignoredColumns).toEqual(['notes']);
    expect(csv.problems).toEqual([]);
  });

  it('shows a centre as it will be kept, to 0.01°', () => {
    expect(centreText(51.5049, -2.6051)).toBe('51.50, -2.61');
    expect(centreText(0, 180)).toBe('0.00, -180.00');
  });
});

describe('one coordinate as typed', () => {
  it('takes decimals in range and nothing else', () => {
    expect(coordinateOf(' 51.5 ', 'lat')).toBe(51.5);
    expect(coordinateOf('-180', 'lon')).toBe(-180);
    expect(coordinateOf('91', 'lat')).toBeNull();
    expect(coordinateOf('', 'lon')).toBeNull();
    expect(coordinateOf('1e2', 'lon')).toBeNull();
    expect(coordinateOf('51,5', 'lat')).toBeNull();
  });
});
