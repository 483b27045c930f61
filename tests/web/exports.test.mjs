// The overview's exports honour the term selected (issue #16 item 5): the
// office picks a term in a real browser (Debian's Chromium through
// playwright-core, against a real kaodian-server over TLS), downloads the
// statistics and the people, and each file holds only that term's sessions;
// the people file has its BOM and masked ID numbers.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium } = require('playwright-core');

// Two exam days in two terms: 2025-2 (spring 2026) and 2026-1 (autumn 2026).
const SPRING = '2026-03-15';
const AUTUMN = '2026-09-20';
const scratch = mkdtempSync(path.join(tmpdir(), 'kaodian-web-exports-'));

let server;
let browser;
let page;

before(async () => {
  server = await startServer({ examDates: [SPRING, AUTUMN] });
  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true, locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  page = await context.newPage();
  await page.goto('/');
  await page.waitForURL(/\/login/);
  await page.fill('#username', 'admin');
  await page.fill('#password', server.password);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: /考试统计/ }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function download(linkText) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkText, exact: true }).click()]);
  const where = path.join(scratch, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(where);
  return readFileSync(where);
}

// The distinct exam dates of a CSV export (every field is quoted; a date
// field is exactly YYYY-MM-DD, a check-in time carries its hour too).
function examDates(csv) {
  return [...new Set([...csv.toString('utf8').matchAll(/"(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]))].sort();
}

// A date's term key, as the overview's terms.js counts (written out here so
// the test does not take the page's word for it).
function termOf(date) {
  const [y, m] = date.split('-').map(Number);
  return m >= 8 ? `${y}-1` : m === 1 ? `${y - 1}-1` : `${y - 1}-2`;
}

async function selectTerm(key) {
  await page.selectOption('#term', key);
  await page.waitForURL(new RegExp(`term=${key}`));
}

for (const [key, date, other] of [['2025-2', SPRING, AUTUMN], ['2026-1', AUTUMN, SPRING]]) {
  test(`term ${key}: the statistics and the people exported are that term's only`, async () => {
    await selectTerm(key);
    const people = await download('名单 CSV');
    assert.deepEqual([...people.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a UTF-8 BOM');
    const dates = examDates(people);
    assert.ok(dates.includes(date), `the people of ${key}: ${dates}`);
    assert.deepEqual(dates.filter((d) => termOf(d) !== key), [], `the people of ${key} only (not ${other})`);
    const text = people.toString('utf8');
    assert.match(text, /"身份证号"/);
    assert.match(text, /"\d{4}\*{10}[\dX]{4}"/, 'ID numbers masked');
    assert.doesNotMatch(text, /\d{17}[\dX]/, 'no full ID number');

    const statistics = await download('CSV');
    const statDates = examDates(statistics);
    assert.ok(statDates.includes(date), `the statistics of ${key}: ${statDates}`);
    assert.deepEqual(statDates.filter((d) => termOf(d) !== key), [], `the statistics of ${key} only`);

    const xlsx = path.join(scratch, `people-${key}.xlsx`);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '名单 Excel', exact: true }).click()]);
    await file.saveAs(xlsx);
    const strings = execFileSync('unzip', ['-p', xlsx, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
    assert.match(strings, new RegExp(date));
    assert.doesNotMatch(strings, new RegExp(other));
  });
}

test('every term: both terms in one file', async () => {
  await selectTerm('all');
  for (const label of ['名单 CSV', 'CSV']) {
    const terms = [...new Set(examDates(await download(label)).map(termOf))];
    assert.deepEqual(terms, ['2025-2', '2026-1'], label);
  }
});

test('a session page exports its roster; the office asks for full ID numbers with a reason, audited', async () => {
  await selectTerm('2025-2');
  await page.locator('table a[href^="/sessions/"]').first().click();
  await page.waitForURL(/\/sessions\/\d+$/);
  const id = /\/sessions\/(\d+)$/.exec(page.url())[1];
  const masked = (await download('名单 CSV')).toString('utf8');
  assert.match(masked, new RegExp(`^\\uFEFF"场次"`));
  assert.doesNotMatch(masked, /\d{17}[\dX]/, 'no full ID number');
  assert.deepEqual([...new Set([...masked.matchAll(/^"(\d+)"/gm)].map((m) => m[1]))], [id], 'this session only');

  page.once('dialog', (d) => d.accept('证书核发 & 补录'));
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#full-id-export')]);
  const xlsx = path.join(scratch, `full-${id}.xlsx`);
  await file.saveAs(xlsx);
  const strings = execFileSync('unzip', ['-p', xlsx, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.match(strings, /<t>\d{17}[\dX]<\/t>/, 'full ID numbers, as text');
  const audit = await page.evaluate(async () => (await fetch('/api/v1/audit?limit=20')).json());
  const entry = audit.entries.find((e) => e.action === 'export.people.full_id');
  assert.ok(entry, 'the full export is in the audit log');
  assert.equal(entry.actor, 'admin');
  assert.match(entry.detail, new RegExp(`场次 #${id}.*证书核发 & 补录`));
});
