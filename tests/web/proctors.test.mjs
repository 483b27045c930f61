// Named proctors, sign-offs and room incidents on the session page (issue
// #15, items 2-4), driven in Debian's Chromium against a real kaodian-server
// over TLS: the office imports a proctor file on the session page (a bad one
// first: refused with its problems), sets a PIN; a kiosk of room 01 sends a
// room incident and a sign-off, then the same batch again; the page shows
// the proctors, the room's sign-off (who, when, the counts) once, and the
// room incident.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { officePage, startServer } from './serverfixture.mjs';

const require = createRequire(path.join(process.env.KAODIAN_WEB_DIR ?? path.resolve('web'), 'package.json'));
const { chromium, request } = require('playwright-core');

const DAY = '2026-09-21';
const scratch = mkdtempSync(path.join(tmpdir(), 'kaodian-web-proctors-'));

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

describe('proctors on the session page', () => {
  test('imports proctors, shows the sign-off and the room incident', async () => {
    await page.goto(`/sessions/${session.id}`);
    await page.locator('#proctors').getByText('本场次未安排监考').waitFor();

    const bad = path.join(scratch, 'bad.csv');
    writeFileSync(bad, `场次编号,考场,工号,姓名,手机号\n${session.id},01,T001,王老师,123\n`);
    await page.setInputFiles('#proctors-file', bad);
    await page.click('#proctors-submit');
    await page.locator('#proctors-result').getByText('第 2 行').waitFor();
    assert.match(await page.locator('#proctors-result').innerText(), /手机号/);

    const good = path.join(scratch, 'good.csv');
    writeFileSync(good, `场次编号,考场,工号,姓名,手机号\n${session.id},01,T001,王老师,13812345678\n${session.id},01,T002,李老师,\n`);
    await page.setInputFiles('#proctors-file', good);
    await page.click('#proctors-submit');
    await page.locator('#proctors').getByText('王老师').waitFor();
    assert.match(await page.locator('#proctors').innerText(), /138\*\*\*\*5678/);
    await apiJson('PUT', '/proctors/T001/pin', { pin: '2468' });

    // A kiosk of room 01 sends a room incident and a sign-off, twice (a lost answer).
    const enrolled = await apiJson('POST', '/kiosks', { site: session.site, room: '01', name: '01 门口' });
    const credential = enrolled.enrolment_code.split('|')[2];
    const kiosk = await request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true,
      extraHTTPHeaders: { Authorization: `Bearer ${credential}` } });
    const events = [
      { event_id: 1, kind: 'incident', session_id: session.id, registration_id: 0, room: '01', proctor: 'T002',
        device_time: `${DAY}T01:10:00.000Z`, incident: 4, reason: '' },
      { event_id: 2, kind: 'sign_off', session_id: session.id, registration_id: 0, room: '01', proctor: 'T001',
        device_time: `${DAY}T03:31:00.000Z`,
        detail: { expected: 30, sat: 27, late: 2, absent: 2, excused: 1, not_yet: 0,
          signers: [{ staff_number: 'T001', name: '王老师' }, { staff_number: 'T002', name: '李老师' }] } },
    ];
    for (let i = 0; i < 2; ++i) {
      const r = await kiosk.post('/api/v1/kiosk/events', { data: { events } });
      assert.equal(r.status(), 200, await r.text());
    }
    await kiosk.dispose();

    await page.reload();
    const signOffs = page.locator('#sign-offs');
    await signOffs.getByText('已签字确认').waitFor();
    const text = await signOffs.innerText();
    assert.match(text, /王老师（T001）、李老师（T002）/);
    assert.match(text, /应到 30 · 实到 27（迟到 2）· 缺考 2 · 免考 1/);
    assert.equal((await page.locator('#sign-offs tbody tr').count()), 1);
    assert.match(await page.locator('#room-incidents').innerText(), /停电\/断网[\s\S]*李老师（T002）/);
    assert.match(await page.locator('#proctors').innerText(), /已设置（考务办公室）/);
    assert.deepEqual(page.errors, []);
  });
});
