import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_HOST, DEFAULT_SWEEP_CONCURRENCY, MAX_SWEEP_CONCURRENCY, isLoopbackHost, loadConfig } from './config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems;
  }
  return [];
}

describe('the listening address', () => {
  test('is 127.0.0.1 unless HOST says otherwise', () => {
    assert.equal(DEFAULT_HOST, '127.0.0.1');
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '  ' }).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0', DEMO: 'false' }).host, '0.0.0.0');
    assert.equal(loadConfig({ HOST: '::1' }).host, '::1');
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost, nothing else', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.254',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LocalHost',
    ]) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.5',
      '192.168.1.10',
      '128.0.0.1',
      '127.0.0.256',
      '::ffff:10.0.0.1',
      'localhost.example.com',
      'lapor.go.id',
      '',
    ]) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});

describe('demo mode, with its printed passwords', () => {
  test('runs on a loopback address (the default: npm start and the Quick start)', () => {
    const config = loadConfig({});
    assert.equal(config.demo, true, 'on by default without DATABASE_URL');
    assert.equal(config.host, '127.0.0.1');
    for (const HOST of ['127.0.0.1', '::1', 'localhost', '127.0.1.1']) assert.equal(loadConfig({ HOST, DEMO: 'true' }).demo, true, HOST);
  });

  test('refuses a non-loopback HOST, naming both variables, whether DEMO is set or is the default', () => {
    for (const env of [{ HOST: '0.0.0.0' }, { HOST: '0.0.0.0', DEMO: 'true' }, { HOST: '::' }, { HOST: '10.1.2.3', DEMO: 'yes' }]) {
      const problems = problemsOf(env);
      assert.equal(problems.length, 1, `${JSON.stringify(env)}: ${problems.join('; ')}`);
      assert.match(problems[0]!, /DEMO/);
      assert.match(problems[0]!, /HOST/);
      assert.ok(problems[0]!.includes(`"${env.HOST}"`), problems[0]);
      assert.match(problems[0]!, /DEMO=false/);
      assert.match(problems[0]!, /loopback HOST/);
    }
    assert.match(problemsOf({ HOST: '0.0.0.0' })[0]!, /the default without DATABASE_URL/);
  });

  test('a non-loopback HOST is fine without demo mode (DEMO=false, or DATABASE_URL where demo is off by default)', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0', DEMO: 'false' }).host, '0.0.0.0');
    const pg = loadConfig({ HOST: '0.0.0.0', DATABASE_URL: 'postgres://lapor@db/lapor' });
    assert.equal(pg.demo, false);
    assert.equal(pg.host, '0.0.0.0');
    assert.match(problemsOf({ HOST: '0.0.0.0', DATABASE_URL: 'postgres://lapor@db/lapor', DEMO: 'true' })[0]!, /DEMO/);
  });

  test('the demo problem is reported with the others', () => {
    const problems = problemsOf({ HOST: '0.0.0.0', PORT: 'x' });
    assert.equal(problems.length, 2, problems.join('; '));
  });
});

describe('SLA_SWEEP_CONCURRENCY', () => {
  test(`defaults to ${DEFAULT_SWEEP_CONCURRENCY} and takes 1 to ${MAX_SWEEP_CONCURRENCY}`, () => {
    assert.equal(loadConfig({}).slaSweepConcurrency, DEFAULT_SWEEP_CONCURRENCY);
    assert.equal(loadConfig({ SLA_SWEEP_CONCURRENCY: '1' }).slaSweepConcurrency, 1);
    assert.equal(loadConfig({ SLA_SWEEP_CONCURRENCY: String(MAX_SWEEP_CONCURRENCY) }).slaSweepConcurrency, MAX_SWEEP_CONCURRENCY);
  });

  test('above the bound, zero or not a number → a problem that names the bound', () => {
    for (const raw of [String(MAX_SWEEP_CONCURRENCY + 1), '1000', '0', 'dua']) {
      const problems = problemsOf({ SLA_SWEEP_CONCURRENCY: raw });
      assert.equal(problems.length, 1, raw);
      assert.equal(problems[0], `SLA_SWEEP_CONCURRENCY must be an integer from 1 to ${MAX_SWEEP_CONCURRENCY}, got "${raw}"`);
    }
  });
});

describe('the report form’s map: MAP_TILE_URL, MAP_ATTRIBUTION, MAP_ATTRIBUTION_URL', () => {
  const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
  const CREDIT = '© OpenStreetMap contributors';

  test('off by default: no map, the plain fields only', () => {
    assert.equal(loadConfig({}).map, null);
  });

  test('a tile URL on one origin with its credit: the origin is what the page may load images from', () => {
    assert.deepEqual(
      loadConfig({ MAP_TILE_URL: ` ${OSM} `, MAP_ATTRIBUTION: CREDIT, MAP_ATTRIBUTION_URL: 'https://www.openstreetmap.org/copyright' }).map,
      {
        tileUrl: OSM,
        tileOrigin: 'https://tile.openstreetmap.org',
        attribution: CREDIT,
        attributionUrl: 'https://www.openstreetmap.org/copyright',
      },
    );
    const local = loadConfig({ MAP_TILE_URL: 'http://127.0.0.1:8080/tiles/{z}/{x}/{-y}{r}.png?key=abc', MAP_ATTRIBUTION: 'Local' }).map;
    assert.equal(local?.tileOrigin, 'http://127.0.0.1:8080');
    assert.equal(local?.attributionUrl, null);
  });

  test('refused, each with a problem that says why: subdomains, a placeholder in the host, other schemes, credentials, no credit', () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MAP_TILE_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', MAP_ATTRIBUTION: CREDIT }, /\{s\}.*one host/],
      [{ MAP_TILE_URL: 'https://{z}.example.test/{x}/{y}.png', MAP_ATTRIBUTION: CREDIT }, /one fixed host/],
      [{ MAP_TILE_URL: 'https://tiles.example.test/{z}/{x}.png', MAP_ATTRIBUTION: CREDIT }, /\{z\}, \{x\} and \{y\}/],
      [{ MAP_TILE_URL: 'https://tiles.example.test/{z}/{x}/{y}.png?k={apikey}', MAP_ATTRIBUTION: CREDIT }, /\{apikey\}/],
      [{ MAP_TILE_URL: 'ftp://tiles.example.test/{z}/{x}/{y}.png', MAP_ATTRIBUTION: CREDIT }, /http\(s\)/],
      [{ MAP_TILE_URL: 'javascript:alert(1)//{z}/{x}/{y}', MAP_ATTRIBUTION: CREDIT }, /http\(s\)/],
      [{ MAP_TILE_URL: '/tiles/{z}/{x}/{y}.png', MAP_ATTRIBUTION: CREDIT }, /absolute/],
      [{ MAP_TILE_URL: 'https://user:secret@tiles.example.test/{z}/{x}/{y}.png', MAP_ATTRIBUTION: CREDIT }, /password/],
      [{ MAP_TILE_URL: OSM }, /MAP_ATTRIBUTION is required/],
      [{ MAP_TILE_URL: OSM, MAP_ATTRIBUTION: 'x'.repeat(301) }, /at most 300/],
      [{ MAP_TILE_URL: OSM, MAP_ATTRIBUTION: CREDIT, MAP_ATTRIBUTION_URL: 'javascript:alert(1)' }, /MAP_ATTRIBUTION_URL/],
      [{ MAP_ATTRIBUTION: CREDIT }, /need MAP_TILE_URL/],
    ];
    for (const [env, problem] of cases) {
      const problems = problemsOf(env);
      assert.ok(
        problems.some((p) => problem.test(p)),
        `${JSON.stringify(env)}: ${problems.join('; ') || 'accepted'}`,
      );
    }
  });
});
