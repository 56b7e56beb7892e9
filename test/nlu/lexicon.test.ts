// The lexicon: which names, parts, server aliases and IPs it holds for a scope, how it segments a text, typo candidates, the cache, and the read model on both engines (scopes, privacy, catalog version).
import type { DataSource } from 'typeorm';
import { Server, Site } from '../../entities';
import { setUserSites } from '../../src/admin/users';
import {
  allowedDistance,
  buildLexicon,
  LexiconCache,
  scopeKey,
  scopeLexicon,
  syntheticLexiconSource,
  type Entry,
  type Lexicon,
} from '../../src/nlu/lexicon';
import { normalise } from '../../src/nlu/segment';
import {
  lexiconCatalogVersion,
  lexiconSource,
  type LexiconSource,
} from '../../src/queries/lexicon';
import { NOW, seed, type Seeded } from '../commands/seed';
import { describeEachEngine, resetDb } from '../helpers/db';
import { CORPUS_SOURCE } from './corpus';

const corpus = buildLexicon(CORPUS_SOURCE);

/** What a term names, without the noise of empty lists. */
function names(lex: Lexicon, term: string): Partial<Entry> | undefined {
  const e = lex.entries.get(term);
  if (!e) return undefined;
  const out: Partial<Entry> = {};
  if (e.sites.length) out.sites = e.sites;
  if (e.servers.length) out.servers = e.servers;
  if (e.senses.length) out.senses = e.senses;
  return out;
}

/** The terms a text is cut into, as [text, what it names], and the unknown runs. */
function cut(lex: Lexicon, text: string) {
  const f = lex.find(normalise(text));
  return {
    hits: f.hits.map((h) => [h.text, h.start, h.end]),
    unknown: f.unknown.map((u) => [u.text, u.start, u.end]),
  };
}

describe('site names', () => {
  it('holds codes and names case-insensitively, and each part of a name that names one site', () => {
    expect(names(corpus, 'bj-cmcc')).toEqual({ sites: ['BJ-CMCC'] });
    expect(names(corpus, '北京移动彩印')).toEqual({ sites: ['BJ-CMCC'] });
    expect(names(corpus, '北京')).toEqual({ sites: ['BJ-CMCC'] });
    expect(names(corpus, '北京移动')).toEqual({ sites: ['BJ-CMCC'] });
    expect(names(corpus, '广州')).toEqual({ sites: ['GZ-CMCC'] });
    expect(names(corpus, '洛杉矶')).toEqual({ sites: ['LAX-ATT'] });
    // The code's part before '-'.
    expect(names(corpus, 'bj')).toEqual({ sites: ['BJ-CMCC'] });
    expect(names(corpus, 'lax')).toEqual({ sites: ['LAX-ATT'] });
  });

  it('keeps a part that starts several names with its candidates, and drops shared inner parts', () => {
    expect(names(corpus, '南京')).toEqual({ sites: ['NJ-CMCC', 'NJ-CUCC'] });
    expect(names(corpus, 'nj')).toEqual({ sites: ['NJ-CMCC', 'NJ-CUCC'] });
    // In 北京移动彩印 and 上海移动彩印, 广州移动 and 杭州移动: inside several names, starting none.
    expect(names(corpus, '移动彩印')).toBeUndefined();
    expect(names(corpus, '州移动')).toBeUndefined();
  });

  it('never lets a part be an operator, a product or a domain word', () => {
    // 彩印 is in two names and a figure word; 测试 is in one name only, but generic.
    expect(names(corpus, '彩印')).toEqual({ senses: [{ kind: 'figure', figure: 'pushes' }] });
    expect(names(corpus, '测试')).toBeUndefined();
    const lex = buildLexicon({
      sites: [
        { code: 'X1', name: '彩印推送平台', zone: null },
        { code: 'X2', name: '上海', zone: null },
      ],
      servers: [],
    });
    expect(names(lex, '彩印')).toEqual({ senses: [{ kind: 'figure', figure: 'pushes' }] });
    expect(names(lex, '推送')).toEqual({ senses: [{ kind: 'figure', figure: 'pushes' }] });
    expect(names(lex, '平台')).toBeUndefined();
    expect(names(lex, '彩印推送平台')).toEqual({ sites: ['X1'] });
  });

  it('lets a whole name or code win over a domain word', () => {
    const lex = buildLexicon({
      sites: [{ code: 'MO', name: '告警', zone: null }],
      servers: [],
    });
    expect(names(lex, 'mo')).toEqual({ sites: ['MO'] });
    expect(names(lex, '告警')).toEqual({ sites: ['MO'] });
  });
});

describe('server names', () => {
  it('holds names, IPs and each selection of name parts that keeps the last part', () => {
    expect(names(corpus, 'bj-cmcc-db01')).toEqual({ servers: [3] });
    expect(names(corpus, 'db01')).toEqual({ servers: [3] });
    expect(names(corpus, 'bj-db01')).toEqual({ servers: [3] });
    expect(names(corpus, 'cmcc-db01')).toEqual({ servers: [3] });
    expect(names(corpus, 'bj-app01')).toEqual({ servers: [1] });
    expect(names(corpus, '10.1.2.3')).toEqual({ servers: [5] });
  });

  it('keeps every candidate of an ambiguous alias', () => {
    expect(names(corpus, 'app01')).toEqual({ servers: [1, 4, 7, 13] });
    expect(names(corpus, 'cmcc-app01')).toEqual({ servers: [1, 4, 7] });
    expect(names(corpus, 'nj-app03')).toEqual({ servers: [10, 11] });
  });

  it('lets a whole name win over another server alias, and makes no alias of a bare number', () => {
    const lex = buildLexicon({
      sites: [{ code: 'S', name: '某局', zone: null }],
      servers: [
        { id: 1, name: 'app01', ip: '10.0.0.1', siteCode: 'S' },
        { id: 2, name: 'bj-app01', ip: '10.0.0.2', siteCode: 'S' },
        { id: 3, name: 'node_07', ip: '10.0.0.3', siteCode: 'S' },
      ],
    });
    expect(names(lex, 'app01')).toEqual({ servers: [1] });
    expect(names(lex, 'bj-app01')).toEqual({ servers: [2] });
    expect(names(lex, '07')).toBeUndefined();
    expect(names(lex, 'node_07')).toEqual({ servers: [3] });
  });
});

describe('find', () => {
  it('cuts a text into terms with their offsets, longest names first', () => {
    // Times are not lexicon terms (understand takes them out first).
    expect(cut(corpus, '北京移动彩印昨天开户')).toEqual({
      hits: [
        ['北京移动彩印', 0, 6],
        ['开户', 8, 10],
      ],
      unknown: [['昨天', 6, 8]],
    });
    expect(cut(corpus, '新增用户数').hits).toEqual([['新增用户数', 0, 5]]);
    expect(cut(corpus, 'db01磁盘还能撑几天').hits).toEqual([
      ['db01', 0, 4],
      ['磁盘', 4, 6],
      ['还能撑几天', 6, 11],
    ]);
  });

  it('takes ASCII terms only as whole tokens (bj-cmcc-app09, hangzhou, 10.1.2.30)', () => {
    expect(cut(corpus, 'bj-cmcc-app09 cpu')).toEqual({
      hits: [['cpu', 14, 17]],
      unknown: [['bj-cmcc-app09', 0, 13]],
    });
    expect(cut(corpus, 'hangzhou').hits).toEqual([]);
    expect(cut(corpus, '10.1.2.30的磁盘')).toEqual({
      hits: [
        ['的', 9, 10],
        ['磁盘', 10, 12],
      ],
      unknown: [['10.1.2.30', 0, 9]],
    });
    expect(cut(corpus, '昨天sh的话务量').hits.map((h) => h[0])).toEqual(['sh', '的', '话务量']);
  });
});

describe('typos', () => {
  it('allows no distance for short ASCII words, and for 2-character names only when asked', () => {
    expect([
      allowedDistance('gz'),
      allowedDistance('db01'),
      allowedDistance('bj-cmcc-db01'),
    ]).toEqual([0, 1, 2]);
    expect([
      allowedDistance('广州'),
      allowedDistance('广州', true),
      allowedDistance('广州移动'),
    ]).toEqual([0, 1, 1]);
    expect(allowedDistance('北京移动彩印')).toBe(2);
  });

  it('finds the names and aliases close to an unknown word, closest first', () => {
    expect(corpus.fuzzy('gw02').map((c) => [c.term, c.distance, c.servers])).toEqual([
      ['gw01', 1, [6]],
    ]);
    // Closest relative to the length of the name: the whole name, then its parts.
    expect(corpus.fuzzy('北京移东彩印').map((c) => [c.term, c.distance, c.sites])).toEqual([
      ['北京移动彩印', 1, ['BJ-CMCC']],
      ['北京移动彩', 1, ['BJ-CMCC']],
      ['北京移动', 1, ['BJ-CMCC']],
      ['南京移', 1, ['NJ-CMCC']],
    ]);
    expect(corpus.fuzzy('广洲').map((c) => c.term)).toEqual([]);
    expect(corpus.fuzzy('广洲', { short: true }).map((c) => [c.term, c.sites])).toEqual([
      ['广州', ['GZ-CMCC']],
    ]);
    // A longer unknown run holds the name: 广洲移动 in 广洲移动的.
    expect(corpus.fuzzy('广洲移动的').map((c) => [c.term, c.distance])).toEqual([
      ['广州移动', 1],
      ['广州移', 1],
    ]);
  });
});

describe('LexiconCache', () => {
  const source = (name: string): LexiconSource => ({
    sites: [{ code: 'A', name, zone: null }],
    servers: [],
  });

  it('builds a scope once per version, again when the version changes or it is too old', async () => {
    let now = 1_000;
    const cache = new LexiconCache({ maxAgeMs: 60_000, now: () => now });
    let loads = 0;
    const load = (name: string) => async () => {
      loads++;
      return source(name);
    };
    const a = await cache.get('admin|*', 'v1', load('甲局'));
    expect(await cache.get('admin|*', 'v1', load('乙局'))).toBe(a);
    expect([loads, cache.builds]).toEqual([1, 1]);
    const b = await cache.get('admin|*', 'v2', load('乙局'));
    expect(b).not.toBe(a);
    expect(b.entries.has('乙局')).toBe(true);
    now += 59_999;
    expect(await cache.get('admin|*', 'v2', load('丙局'))).toBe(b);
    now += 1;
    expect((await cache.get('admin|*', 'v2', load('丙局'))).entries.has('丙局')).toBe(true);
    expect([loads, cache.builds]).toEqual([3, 3]);
  });

  it('keeps scopes apart, drops the least recently used beyond its size, and forgets failed loads', async () => {
    const cache = new LexiconCache({ maxScopes: 2 });
    const one = await cache.get('user:1|*', 'v', async () => source('一局'));
    await cache.get('user:2|*', 'v', async () => source('二局'));
    expect(await cache.get('user:1|*', 'v', async () => source('x'))).toBe(one);
    await cache.get('user:3|*', 'v', async () => source('三局'));
    // user:2 was the least recently used.
    const again = await cache.get('user:2|*', 'v', async () => source('二局又'));
    expect(again.entries.has('二局又')).toBe(true);
    await expect(
      cache.get('user:4|*', 'v', async () => {
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    const later = await cache.get('user:4|*', 'v', async () => source('四局'));
    expect(later.entries.has('四局')).toBe(true);
  });

  it('keys scopes by who asks (admins share one) and the room sites in any order', () => {
    expect(scopeKey({ userId: 7, role: 'admin' }, null)).toBe('admin|*');
    expect(scopeKey({ userId: 8, role: 'admin' }, null)).toBe('admin|*');
    expect(scopeKey({ userId: 7, role: 'operator' }, [3, 1])).toBe('user:7|1,3');
    expect(scopeKey({ userId: 7, role: 'operator' }, [1, 3])).toBe('user:7|1,3');
    expect(scopeKey({ userId: 7, role: 'operator' }, [])).toBe('user:7|');
  });

  it('builds the benchmark catalog of 200 sites and 2,000 servers with unique names', () => {
    const src = syntheticLexiconSource(200, 10);
    expect([src.sites.length, src.servers.length]).toEqual([200, 2000]);
    expect(new Set(src.sites.map((s) => s.code)).size).toBe(200);
    expect(new Set(src.sites.map((s) => s.name)).size).toBe(200);
    expect(new Set(src.servers.map((s) => s.name)).size).toBe(2000);
    const lex = buildLexicon(src);
    expect(names(lex, 'bj-cmcc-db01')).toEqual({ servers: [4] });
  });
});

describeEachEngine('lexicon read model', (db) => {
  let ds: DataSource;
  let s: Seeded;
  beforeEach(async () => {
    await resetDb(db());
    ds = db().ds;
    s = await seed(ds);
  });

  const viewer = (c: { userId: number; role: 'admin' | 'operator' }) => ({
    userId: c.userId,
    role: c.role,
  });

  it('gives a scope the enabled sites it may see with their servers, in a room only the room sites', async () => {
    const admin = await lexiconSource(ds, viewer(s.admin), null);
    expect(admin.sites).toEqual([
      { code: 'BJ01', name: '北京一号', zone: null },
      { code: 'BJ02', name: '北京二号', zone: null },
      { code: 'SH01', name: '上海移动', zone: 'UTC' },
    ]);
    expect(admin.servers).toEqual([
      { id: s.servers.app01.id, name: 'app01', ip: '10.0.0.1', siteCode: 'BJ01' },
      { id: s.servers.app02.id, name: 'app02', ip: '10.0.0.2', siteCode: 'BJ01' },
      { id: s.servers.db01.id, name: 'db01', ip: '10.0.0.3', siteCode: 'BJ01' },
      { id: s.servers.web01.id, name: 'web01', ip: '10.1.0.1', siteCode: 'BJ02' },
      { id: s.servers.shApp01.id, name: 'app01', ip: '10.2.0.1', siteCode: 'SH01' },
    ]);
    const li = await lexiconSource(ds, viewer(s.li), null);
    expect(li.sites.map((x) => x.code)).toEqual(['BJ01', 'SH01']);
    expect(li.servers.map((x) => x.name)).toEqual(['app01', 'app02', 'db01', 'app01']);
    const room = await lexiconSource(ds, viewer(s.li), [s.sites.sh01.id, s.sites.bj02.id]);
    expect(room).toEqual({
      sites: [{ code: 'SH01', name: '上海移动', zone: 'UTC' }],
      servers: [{ id: s.servers.shApp01.id, name: 'app01', ip: '10.2.0.1', siteCode: 'SH01' }],
    });
    expect(await lexiconSource(ds, viewer(s.wang), [s.sites.sh01.id])).toEqual({
      sites: [],
      servers: [],
    });
  });

  it('makes what a scope cannot see an unknown word in its lexicon', async () => {
    const cache = new LexiconCache();
    const admin = await scopeLexicon(ds, cache, viewer(s.admin), null);
    const li = await scopeLexicon(ds, cache, viewer(s.li), null);
    const wang = await scopeLexicon(ds, cache, viewer(s.wang), null);
    // 北京 starts two names for an admin; li sees only 北京一号, wang only 北京二号.
    expect(names(admin, '北京')).toEqual({ sites: ['BJ01', 'BJ02'] });
    expect(names(li, '北京')).toEqual({ sites: ['BJ01'] });
    expect(names(wang, '北京')).toEqual({ sites: ['BJ02'] });
    expect(names(li, '北京二号')).toBeUndefined();
    expect(names(li, 'web01')).toBeUndefined();
    expect(names(li, '10.1.0.1')).toBeUndefined();
    expect(li.fuzzy('北京二好').map((c) => c.sites)).toEqual([['BJ01']]);
    expect(names(admin, 'app01')).toEqual({
      servers: [s.servers.app01.id, s.servers.shApp01.id],
    });
    expect(names(wang, 'app01')).toBeUndefined();
    // The disabled site is nobody's.
    expect(names(admin, '停用局点')).toBeUndefined();
  });

  it('changes the catalog version when sites, servers or grants change, and only then', async () => {
    const admin = viewer(s.admin);
    const li = viewer(s.li);
    const v0 = await lexiconCatalogVersion(ds, admin);
    const l0 = await lexiconCatalogVersion(ds, li);
    expect(await lexiconCatalogVersion(ds, admin)).toBe(v0);
    const sites = ds.getRepository(Site);
    const versions = [v0];
    const step = async (change: () => Promise<unknown>) => {
      await change();
      const v = await lexiconCatalogVersion(ds, admin);
      expect(versions).not.toContain(v);
      versions.push(v);
    };
    await step(() => sites.update(s.sites.bj02.id, { name: '北京第二局' }));
    await step(() => sites.update(s.sites.bj02.id, { enabled: false }));
    await step(() => sites.update(s.sites.bj02.id, { timezone: 'Asia/Tokyo' }));
    await step(() =>
      ds.getRepository(Server).insert({
        siteId: s.sites.bj01.id,
        name: 'gw01',
        ip: '10.0.0.9',
        firstSeenAt: NOW,
        lastSeenAt: null,
      }),
    );
    // Removed again, the catalog is what it was: so is its version.
    await ds.getRepository(Server).delete({ name: 'gw01' });
    expect(await lexiconCatalogVersion(ds, admin)).toBe(versions[versions.length - 2]);
    // Ingest moving last_seen_at is no catalog change.
    const before = await lexiconCatalogVersion(ds, admin);
    await ds.getRepository(Server).update(s.servers.app01.id, { lastSeenAt: NOW + 1 });
    await sites.update(s.sites.bj01.id, { lastIngestAt: NOW + 1 });
    expect(await lexiconCatalogVersion(ds, admin)).toBe(before);
    // An operator's grants are part of their version, not of an admin's.
    await setUserSites(ds, s.li.userId, [s.sites.bj01.id]);
    expect(await lexiconCatalogVersion(ds, admin)).toBe(before);
    expect(await lexiconCatalogVersion(ds, li)).not.toBe(l0);
  });

  it('rebuilds a cached lexicon when the catalog changed, and not otherwise', async () => {
    const cache = new LexiconCache();
    const li = viewer(s.li);
    const first = await scopeLexicon(ds, cache, li, null);
    expect(await scopeLexicon(ds, cache, li, null)).toBe(first);
    expect(cache.builds).toBe(1);
    await ds.getRepository(Site).update(s.sites.bj01.id, { name: '北京一号机房' });
    const renamed = await scopeLexicon(ds, cache, li, null);
    expect(cache.builds).toBe(2);
    expect(names(renamed, '北京一号机房')).toEqual({ sites: ['BJ01'] });
    expect(names(renamed, '北京一号')).toEqual({ sites: ['BJ01'] });
    await setUserSites(ds, s.li.userId, [s.sites.bj01.id, s.sites.bj02.id, s.sites.sh01.id]);
    const granted = await scopeLexicon(ds, cache, li, null);
    expect(cache.builds).toBe(3);
    expect(names(granted, '北京')).toEqual({ sites: ['BJ01', 'BJ02'] });
    // A room is a scope of its own.
    const room = await scopeLexicon(ds, cache, li, [s.sites.sh01.id]);
    expect(cache.builds).toBe(4);
    expect([...room.sites.keys()]).toEqual(['SH01']);
  });
});
