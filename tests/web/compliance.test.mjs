// The compliance board (合规, issue #14 item 5) in a real browser (Debian's
// Chromium through playwright-core, against a real kaodian-server over TLS):
// a session held without a published count shows as a 第七条(五) flag in its
// pilot's row, a session not yet held does not; a click on the cell shows the
// evidence (the session behind it); the board downloads as Excel and as a PDF
// whose text names the article.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium } = require('playwright-core');

// One exam day long past (held: judged) and one far ahead (not held: no verdict).
const PAST = '2026-09-20';
const AHEAD = '2030-03-20';
const scratch = mkdtempSync(path.join(tmpdir(), 'kaodian-web-compliance-'));

let server;
let browser;
let page;

before(async () => {
  server = await startServer({ examDates: [PAST, AHEAD] });
  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await officePage(browser, server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a held session without a published count is a 第七条(五) flag on its pilot; one not yet held is not', async () => {
  await page.getByRole('link', { name: '合规', exact: true }).click();
  await page.getByRole('heading', { name: '合规', exact: true }).waitFor();
  const board = await page.evaluate(async () => (await fetch('/api/v1/compliance')).json());
  const participation = board.flags.filter((f) => f.rule === '第七条(五)');
  assert.ok(participation.length >= 1, `a 第七条(五) flag: ${JSON.stringify(board.flags)}`);
  const sessions = await page.evaluate(async () => (await fetch('/api/v1/statistics')).json());
  const dateOf = new Map(sessions.sessions.map((s) => [s.id, s.exam_date]));
  // The sample roster's exam runs over two days from its date: only those held are judged.
  for (const f of participation) {
    for (const id of f.sessions) assert.ok(dateOf.get(id) < '2030-01-01', `only held days are judged (session ${id}: ${dateOf.get(id)})`);
  }
  const flagged = participation[0];
  const row = page.locator(`tr[data-kind=pilot][data-id="${flagged.subject.id}"]`);
  const cell = row.locator('td[data-article="第七条(五)"]');
  await assert.doesNotReject(cell.waitFor());
  assert.match(await cell.getAttribute('class'), /\bflag\b/);
  // The board opened the flag's case: the cell shows its state.
  assert.ok(flagged.case, `the flag's case: ${JSON.stringify(flagged)}`);
  assert.equal((await cell.innerText()).trim(), flagged.case.state);
  // Every row kind is on the board: pilots, sites and colleges.
  for (const kind of ['pilot', 'site', 'college']) {
    assert.ok(await page.locator(`tr[data-kind=${kind}]`).count() >= 1, `a ${kind} row`);
  }
  // The evidence: a click shows the flag's words and its session.
  await cell.getByRole('button').click();
  const evidence = page.locator('section.evidence');
  await evidence.getByRole('heading').waitFor();
  assert.match(await evidence.innerText(), /第七条\(五\)/);
  await evidence.getByRole('link', { name: `场次 #${flagged.sessions[0]}` }).click();
  await page.waitForURL(new RegExp(`/sessions/${flagged.sessions[0]}$`));
  assert.deepEqual(page.errors, []);
});

test('the board downloads as Excel and as a PDF for the 院长办公会', async () => {
  await page.goto('/compliance');
  await page.getByRole('heading', { name: '合规', exact: true }).waitFor();
  for (const [name, format] of [['Excel', 'xlsx'], ['PDF（院长办公会）', 'pdf']]) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).click()]);
    const where = path.join(scratch, `board.${format}`);
    await file.saveAs(where);
    const bytes = readFileSync(where);
    if (format === 'xlsx') {
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an Excel workbook is a ZIP');
      const sheet = execFileSync('unzip', ['-p', where, 'xl/sharedStrings.xml']).toString('utf8');
      assert.match(sheet, /第七条\(五\)/);
      assert.match(sheet, /待核查/);
    } else {
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = execFileSync('pdftotext', ['-layout', where, '-']).toString('utf8');
      assert.match(text, /合规报告/);
      assert.match(text, /第七条\(五\)/);
    }
  }
  assert.deepEqual(page.errors, []);
});

// Issue #15 item 6 on the dashboard: a name with a character the office's
// own fonts lack (𪚥, CJK Extension B) makes the browser fetch the server's
// fallback font, and only then: a page of common characters fetches none.
test('a rare character in a name makes the page fetch the fallback font, and only it', async () => {
  await page.goto('/compliance');
  await page.getByRole('heading', { name: '合规', exact: true }).waitFor();
  const faces = () => page.evaluate(async () => {
    await document.fonts.ready;
    return Object.fromEntries([...document.fonts].map((f) => [f.family.replaceAll('"', ''), f.status]));
  });
  const before = await faces();
  assert.notEqual(before['Kaodian Rare B'], 'loaded', 'no rare character on the page yet: the font is not fetched');
  const drawn = await page.evaluate(async () => {
    const probe = document.createElement('p');
    probe.textContent = '考生：李𪚥、𠀁明';
    document.getElementById('main').append(probe);
    await document.fonts.ready;
    // The rare character's advance in the page's fonts against the same
    // character where no web font may serve it (the box a missing glyph gets).
    const width = (font) => {
      const c = document.createElement('canvas').getContext('2d');
      c.font = font;
      return c.measureText('𪚥').width;
    };
    return { page: width('32px "Kaodian Rare B"'), loaded: document.fonts.check('32px "Kaodian Rare B"', '𪚥') };
  });
  const after = await faces();
  assert.equal(after['Kaodian Rare B'], 'loaded', `the fallback font was fetched: ${JSON.stringify(after)}`);
  assert.ok(drawn.loaded, 'the fallback font has the glyph');
  assert.ok(drawn.page > 20, `the glyph is drawn at its width (${drawn.page})`);
  const font = await page.request.get('/static/fonts/HanaMinB.ttf');
  assert.equal(font.status(), 200);
  assert.equal(font.headers()['content-type'], 'font/ttf');
  assert.deepEqual(page.errors, []);
});
