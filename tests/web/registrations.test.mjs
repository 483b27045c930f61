// Registration changes in the dashboard (issue #16 item 4), driven in
// Debian's Chromium against a real kaodian-server over TLS: the office
// withdraws a candidate on the session page and sees the statistics change,
// then imports a roster file that changes stored registrations, sees the
// difference (changed, withdrawn, new), and confirms it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

const DAY = '2026-09-20';
const scratch = mkdtempSync(path.join(tmpdir(), 'kaodian-web-registrations-'));

let server;
let browser;
let admin;
let session;
let page;

async function apiJson(method, url, body) {
  const response = await admin.fetch(`/api/v1${url}`, { method, data: body });
  const text = await response.text();
  assert.ok(response.ok(), `${method} ${url} -> ${response.status()}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const sessionStats = async () => (await apiJson('GET', '/statistics')).sessions.find((s) => s.id === session.id);
const rosterEntry = async (ticket) => (await apiJson('GET', `/sessions/${session.id}`)).roster.find((r) => r.ticket_number === ticket);

// The stat card's value on the session page, by its label.
async function statValue(label) {
  const card = page.locator('.stat', { has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) });
  return (await card.locator('.value').innerText()).trim();
}

before(async () => {
  server = await startServer({ examDates: [DAY] });
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await admin.post('/api/v1/login', { data: { username: 'admin', password: server.password } });
  assert.equal(login.status(), 200, await login.text());
  admin = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
    storageState: await admin.storageState(), extraHTTPHeaders: { 'X-CSRF-Token': (await login.json()).csrf_token } });
  session = (await apiJson('GET', '/statistics')).sessions.find((s) => s.exam_date === DAY);
  assert.ok(session, 'the sample roster has a session on the day');
  browser = await chromium.launch({ executablePath: process.env.KAODIAN_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await officePage(browser, server, { viewport: { width: 1600, height: 1000 }, ignoredStatuses: /40[0134]/ });
});

after(async () => {
  await browser?.close();
  await admin?.dispose();
  await server?.stop();
});

describe('registration changes', () => {
  let withdrawnTicket;

  test('withdraws a candidate on the session page and the statistics change', async () => {
    const before = await sessionStats();
    const roster = (await apiJson('GET', `/sessions/${session.id}`)).roster;
    const candidate = roster[0];
    withdrawnTicket = candidate.ticket_number;
    await page.goto(`/sessions/${session.id}`);
    assert.equal(await statValue('报名'), String(before.registered));

    await page.click(`button[data-change="withdraw"][data-ticket="${withdrawnTicket}"]`);
    const form = page.locator('#change-form');
    await form.waitFor();
    assert.match(await form.innerText(), new RegExp(candidate.name));
    // No reason: the browser will not send it.
    await page.click('#change-submit');
    assert.equal(await rosterEntry(withdrawnTicket).then((r) => r.withdrawn), false);
    await page.fill('#change-reason', '本人申请退考（转学）');
    await page.click('#change-submit');
    await page.getByText(`${candidate.name}（${withdrawnTicket}）已退考`).waitFor();

    // The page's figures are the server's, one fewer registered.
    await page.waitForFunction((n) => [...document.querySelectorAll('.stat')]
      .some((s) => s.querySelector('.label')?.textContent === '报名' && s.querySelector('.value')?.textContent === String(n)),
    before.registered - 1);
    const after = await sessionStats();
    assert.equal(after.registered, before.registered - 1);
    assert.equal(await statValue('已退考（不计入统计）'), '1');
    const row = page.locator('tr.att-withdrawn', { hasText: withdrawnTicket });
    assert.match(await row.innerText(), /已退考/);
    const entry = await rosterEntry(withdrawnTicket);
    assert.equal(entry.withdrawn, true);
    assert.equal(entry.withdrawn_reason, '本人申请退考（转学）');

    // Again through the API: one withdrawal, not two.
    const again = await apiJson('POST', `/registrations/${withdrawnTicket}/withdraw`, { reason: '重复提交' });
    assert.equal(again.changed, false);
    assert.equal((await sessionStats()).registered, before.registered - 1);
    const audit = (await apiJson('GET', '/audit?limit=50')).entries.filter((e) => e.action === 'registration.withdraw');
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor.includes('admin'), true);
    assert.match(audit[0].detail, /本人申请退考（转学）/);
    assert.deepEqual(page.errors, []);
  });

  test('previews a roster difference and imports it only when confirmed', async () => {
    // The office's next file for the day: the same sample, one candidate
    // moved to seat 99, one left out (withdrawn), the one withdrawn above
    // gone too (already withdrawn: no difference).
    const csvPath = path.join(scratch, 'next.csv');
    execFileSync(process.env.KAODIAN_SERVER, ['sample-roster', '--out', csvPath, '--date', DAY, '--candidates', '120', '--seed', '11'],
      { env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
    const lines = readFileSync(csvPath, 'utf8').split(/\r?\n/);
    const header = lines[0];
    const rows = lines.slice(1).filter((l) => l.trim() !== '');
    const ticketOf = (l) => l.replace(/^\uFEFF/, '').split(',')[0];
    const inSession = new Set((await apiJson('GET', `/sessions/${session.id}`)).roster.map((r) => r.ticket_number));
    const mine = rows.filter((l) => inSession.has(ticketOf(l)) && ticketOf(l) !== withdrawnTicket);
    const movedLine = mine[1];
    const goneLine = mine[2];
    const movedTicket = ticketOf(movedLine);
    const goneTicket = ticketOf(goneLine);
    const cells = movedLine.split(',');
    const seatBefore = cells[12];
    cells[12] = '99';
    const next = [header, ...rows.filter((l) => l !== goneLine && ticketOf(l) !== withdrawnTicket)
      .map((l) => (l === movedLine ? cells.join(',') : l))].join('\n');

    await page.getByRole('link', { name: '导入名单' }).click();
    await page.setInputFiles('#roster-file', { name: '九月名单（修订）.csv', mimeType: 'text/csv', buffer: Buffer.from(next, 'utf8') });
    await page.click('button[type=submit]');
    const difference = page.locator('#import-difference');
    await difference.waitFor();
    const changed = difference.locator('tr.diff-changed');
    const withdrawn = difference.locator('tr.diff-withdrawn');
    assert.equal(await changed.count(), 1);
    assert.equal(await withdrawn.count(), 1);
    assert.equal(await difference.locator('tr.diff-new').count(), 0);
    assert.match(await changed.innerText(), new RegExp(`${movedTicket}[\\s\\S]*${seatBefore}[\\s\\S]*99`));
    assert.match(await withdrawn.innerText(), new RegExp(`退考[\\s\\S]*${goneTicket}`));
    // Previewed, nothing applied yet.
    assert.equal((await rosterEntry(movedTicket)).seat, seatBefore);
    assert.equal((await rosterEntry(goneTicket)).withdrawn, false);
    const registered = (await sessionStats()).registered;

    await page.click('#import-confirm');
    await page.locator('#import-result').getByText(/已导入/).waitFor();
    assert.match(await page.locator('#import-result').innerText(), /调整考场座位 1 条，退考 1 条/);
    const moved = await rosterEntry(movedTicket);
    assert.equal(moved.seat, '99');
    assert.equal((await rosterEntry(goneTicket)).withdrawn, true);
    assert.equal((await sessionStats()).registered, registered - 1);
    const log = (await apiJson('GET', '/audit?limit=5')).entries;
    assert.equal(log[0].action, 'roster.import');
    assert.match(log[0].detail, new RegExp(goneTicket));
    assert.deepEqual(page.errors, []);
  });
});
