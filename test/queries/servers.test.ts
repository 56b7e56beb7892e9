// Tests of matching a server argument against server names and IPs (no database): full name or IP first, else parts of the name in order.
import { isNamePart, matchServers, type ServerRef } from '../../src/queries/servers';

const ref = (id: number, name: string, ip: string): ServerRef => ({
  id,
  siteId: 1,
  name,
  ip,
  osName: null,
  osVersion: null,
  uptimeSeconds: null,
  uptimeAt: null,
});

describe('isNamePart', () => {
  it('takes the parts of the term in order, each inside a part of the name', () => {
    const yes = [
      'bj-app01',
      'BJ-APP01',
      'app01',
      'p01',
      'cmcc-app',
      'bj cmcc',
      'c-a',
      'BJ_app01',
      'bj.01',
    ];
    for (const term of yes) expect([term, isNamePart('BJ-CMCC-app01', term)]).toEqual([term, true]);
    const no = ['app01-bj', 'bjapp01', 'cmccapp01', '-', ' ', '', 'bj-bj', 'app01-x', 'sh'];
    for (const term of no) expect([term, isNamePart('BJ-CMCC-app01', term)]).toEqual([term, false]);
  });
});

describe('matchServers', () => {
  const list = [
    ref(3, 'BJ-CMCC-db01', '10.0.0.12'),
    ref(1, 'app01', '10.0.0.1'),
    ref(2, 'BJ-CMCC-app01', '10.0.0.11'),
    ref(4, 'db01', '10.0.0.3'),
    ref(5, 'App01', '10.2.0.1'),
  ];
  const names = (term: string) => matchServers(list, term).map((s) => `${s.id}:${s.name}`);

  it('prefers a full name or IP (case-insensitive) over the names it is a part of', () => {
    expect(names('DB01')).toEqual(['4:db01']);
    expect(names('10.0.0.1')).toEqual(['1:app01']);
    // two servers of one name: both, ordered by name case-insensitively, then id
    expect(names('app01')).toEqual(['1:app01', '5:App01']);
  });

  it('else every server the term is a part of (name or IP), ordered by name then id', () => {
    expect(names('bj-app01')).toEqual(['2:BJ-CMCC-app01']);
    expect(names('cmcc')).toEqual(['2:BJ-CMCC-app01', '3:BJ-CMCC-db01']);
    expect(names('10.0.0.1 ')).toEqual(['1:app01']);
    expect(names('10.0.0')).toEqual(['1:app01', '2:BJ-CMCC-app01', '3:BJ-CMCC-db01', '4:db01']);
    expect(names('%')).toEqual([]);
    expect(names('  ')).toEqual([]);
  });
});
