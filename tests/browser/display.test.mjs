// The hall's big screen in a real browser against a real server: attendance with the quorum light, a vote in
// progress showing only how many have voted (never a count before decryption), the results with bars after
// decryption marked 待确认, then 已确认 after certification. Screenshots at 1920×1080 to docs/screens/.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {chromium} from 'playwright-core';

import {browserOptions, checkAccessible, Hall, screens, screenshot, stop} from './hall.mjs';

const hall = new Hall();
let display;
let simulated;
let browser;
let page;

async function expectScreen(text, name) {
  await page.waitForSelector(`text=${text}`, {timeout: 30000});
  await checkAccessible(page, name);
  await screenshot(page, `display-${name}`);
}

before(async () => {
  mkdirSync(screens, {recursive: true});
  hall.setUp();
  await hall.startServer();
  hall.ctl('open-sign-in');
  display = await hall.startDisplay();
  browser = await chromium.launch(browserOptions);
  page = await browser.newPage({viewport: {width: 1920, height: 1080}});
  await page.goto(display.url);
});

after(async () => {
  await browser?.close();
  await stop(simulated);
  await stop(display?.child);
  await hall.stopServer();
});

test('attendance: 应到/实到/缺席, red until the quorum is reached, then green', async () => {
  await page.waitForSelector('#quorum.not-met');
  assert.equal(await page.textContent('#in-office'), '6');
  simulated = hall.simulate(0, 5);
  await page.waitForFunction(() => document.getElementById('present').textContent === '5', null, {timeout: 30000});
  await page.waitForSelector('#quorum.met');
  assert.equal(await page.textContent('#absent'), '1');
  await expectScreen('已达到法定人数', 'attendance');
  hall.ctl('start-session');
});

test('a vote in progress shows only how many have voted; the results appear after decryption', async () => {
  hall.openVote('V3');
  await page.waitForSelector('text=/表决进行中，已表决 \\d 人/', {timeout: 30000});
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V3');
  await expectScreen('表决进行中，已表决 5 人', 'voting');
  assert.equal(await page.locator('table.result').count(), 0, 'no result table while the vote is open');
  assert.doesNotMatch(await page.textContent('main'), /赞成|反对|弃权|通过/);
  hall.ctl('close-vote', 'V3');
  await page.waitForSelector('text=表决已结束，正在计票');
  assert.equal(await page.locator('table.result').count(), 0, 'no result table before decryption');
  hall.decrypt('V3');
  await page.waitForSelector('table.result', {timeout: 30000});
  await expectScreen('待确认', 'result');
  const table = await page.textContent('table.result');
  assert.match(table, /镇中心小学运动场改造/);
  assert.match(table, /赞成/);
  assert.equal(await page.locator('svg.bar').count() > 0, true);
});

test('the results are marked 已确认 only after certification', async () => {
  assert.equal(await page.locator('.badge.certified').count(), 0);
  hall.certify('V3');
  await expectScreen('已确认', 'certified');
});
