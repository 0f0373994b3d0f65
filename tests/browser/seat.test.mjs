// The seat page in a real browser (Debian chromium) against a real server and a real seat daemon: every screen,
// each ballot form, an overvote, wrong PINs to the lock, review → change → 核验此票 (challenge) → vote again →
// confirm, hold, close while reviewing, the card taken out mid-vote, the server restarted mid-vote. axe-core
// checks every screen for WCAG 2.1 AA, and a screenshot of each screen is saved to docs/screens/ (shown in
// docs/guide-deputies.md). (The auditor's acceptance of a log with a challenge is tested on a whole, cosigned
// session in tests/auditor: challenge_audit_test.cc, cli_votes_test.cc.)
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {chromium} from 'playwright-core';

import {browserOptions, card, checkAccessible, Hall, screens, screenshot, stop} from './hall.mjs';

const deputy = 'SD0001';  // 蒋小勇, at seat T0006
const lockedDeputy = 'SD0006';
const hall = new Hall();
let seat;
let simulated;
let browser;
let page;

const shot = (name) => screenshot(page, `seat-${name}`);
const accessible = (name) => checkAccessible(page, name);

// Waits for the page the daemon shows, then checks it and saves its screenshot.
async function expectPage(name, shotName = name) {
  await page.waitForSelector(`body[data-page="${name}"]`, {timeout: 30000});
  await accessible(shotName);
  await shot(shotName);
}

// Types a PIN one touch at a time, each after the daemon has shown the one before (as a deputy would).
async function typePin(pin) {
  for (let i = 0; i < pin.length; ++i) {
    await page.getByRole('button', {name: `数字 ${pin[i]}`}).click();
    if (i + 1 < pin.length) {
      await page.waitForFunction((n) => document.querySelectorAll('.pin-dots .dot.filled').length === n, i + 1);
    }
  }
}

async function choose(label) {
  await page.getByRole('button', {name: label}).first().click();
}

// The review, once the seat has encrypted the ballot: its fingerprint (XXXX-XXXX-XXXX-XXXX) is shown.
async function reviewFingerprint() {
  await page.waitForSelector('body[data-page="review"] #fingerprint');
  const code = (await page.textContent('#fingerprint')).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  return code;
}

before(async () => {
  mkdirSync(screens, {recursive: true});
  hall.setUp();
  await hall.startServer();
  hall.ctl('open-sign-in');
  seat = await hall.startSeat('T0006');
  browser = await chromium.launch(browserOptions);
  page = await browser.newPage({viewport: {width: 1280, height: 800}});
  await page.goto(seat.url);
});

after(async () => {
  await browser?.close();
  await stop(simulated);
  await stop(seat?.child);
  await hall.stopServer();
});

test('a dark seat until a card is put in; wrong PINs count down and the third locks the card', async () => {
  await expectPage('insert_card');
  await card(seat.url, `insert ${lockedDeputy}`);
  await expectPage('pin');
  await typePin('111111');
  await page.waitForSelector('text=密码错误，还可尝试 2 次。');
  await shot('pin-wrong');
  await typePin('222222');
  await page.waitForSelector('text=还可尝试 1 次');
  await typePin('333333');
  await expectPage('locked');
  await card(seat.url, 'remove');
  await card(seat.url, `insert ${lockedDeputy}`);  // still locked: the card keeps count, not the seat
  await page.waitForSelector('body[data-page="pin"]');
  await typePin('123456');
  await page.waitForSelector('body[data-page="locked"]');
  await card(seat.url, 'remove');
});

test('the deputy signs in and waits with the agenda', async () => {
  await card(seat.url, `insert ${deputy}`);
  await page.waitForSelector('text=蒋小勇');
  await typePin('123456');
  await expectPage('waiting');
  assert.match(await page.textContent('main'), /示范镇2026年度民生实事项目差额票决/);
  simulated = hall.simulate(1, 4);  // four more deputies: 5 of 6 present, quorum reached
  await hall.waitFor((r) => r.present >= 5);
  hall.ctl('start-session');
  await page.getByRole('button', {name: '大字'}).click();
  await page.waitForSelector('body.large');
  await shot('waiting-large-text');
  await page.getByRole('button', {name: '大字'}).click();
  await page.waitForSelector('body:not(.large)');
});

test('choose N of M: the counter, an overvote refused with the reason, review, change, confirm, receipt', async () => {
  hall.openVote('V1');
  await expectPage('ballot', 'ballot-choose');
  await choose('镇中心小学运动场改造');
  await choose('集镇自来水管网改造');
  await page.waitForSelector('text=已选 2 项，最多 2 项');
  await choose('农村公路安全防护工程');  // a third of 2: refused, nothing changes
  await page.waitForSelector('text=最多选择 2 项，请先取消一项');
  await shot('ballot-choose-overvote');
  assert.equal(await page.getByRole('button', {name: '农村公路安全防护工程'}).getAttribute('aria-pressed'), 'false');
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  await reviewFingerprint();
  await accessible('review-choose');
  await shot('review-choose');
  await page.getByRole('button', {name: '返回修改'}).click();
  await page.waitForSelector('body[data-page="ballot"]');
  await choose('集镇自来水管网改造');  // clear one…
  await choose('镇卫生院中医馆建设');  // …and choose another
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  await page.waitForSelector('body[data-page="review"]');
  const review = await page.textContent('main');
  assert.match(review, /镇卫生院中医馆建设/);
  assert.doesNotMatch(review, /集镇自来水管网改造/);
});

test('核验此票: the fingerprint comes first; the challenged ballot is opened and not counted; the deputy votes again', async () => {
  // V1's review, from the test before: the seat has committed to its encryption before the deputy chooses.
  const challenged = await reviewFingerprint();
  await accessible('review-fingerprint');
  await shot('review-fingerprint');
  await page.getByRole('button', {name: '核验此票'}).click();
  await expectPage('challenge_warning', 'challenge-warning');
  const warning = await page.textContent('main');
  assert.match(warning, /不计入表决/);
  assert.match(warning, /代表编号（SD0001）/);
  assert.ok(warning.includes(challenged));
  await page.getByRole('button', {name: '返回', exact: true}).click();  // the same ballot, the same fingerprint
  assert.equal(await reviewFingerprint(), challenged);
  await page.getByRole('button', {name: '核验此票'}).click();
  await page.waitForSelector('body[data-page="challenge_warning"]');
  await page.getByRole('button', {name: '确认核验'}).click();
  await expectPage('challenge_result', 'challenge-result');
  const result = await page.textContent('main');
  assert.match(result, /核验通过/);
  assert.match(result, /镇中心小学运动场改造/);
  assert.match(result, /镇卫生院中医馆建设/);
  assert.doesNotMatch(result, /集镇自来水管网改造/);
  assert.equal((await page.textContent('#fingerprint')).trim(), challenged);
  assert.ok(hall.status('progress', 'V1').returned <= 4);  // the 4 simulated deputies: the challenge is no cast
  // 重新投票: the same choices, encrypted afresh at the next review.
  await page.getByRole('button', {name: '重新投票'}).click();
  await page.waitForSelector('body[data-page="ballot"]');
  assert.equal(await page.getByRole('button', {name: '镇卫生院中医馆建设'}).getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  const cast = await reviewFingerprint();
  assert.notEqual(cast, challenged);
  await page.getByRole('button', {name: '确认投票'}).click();
  await expectPage('receipt');
  assert.match(await page.textContent('.recorded'), /已记录/);
  assert.equal((await page.textContent('.code-big')).trim(), cast);  // the code is the fingerprint reviewed
  await page.getByRole('button', {name: '完成'}).click();
  await page.waitForSelector('text=本轮您已投票，请等待下一项表决');
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V1');
  hall.ctl('close-vote', 'V1');
});

test('satisfaction: one rating per project, a blank marked 未选; hold blocks confirming until resumed', async () => {
  hall.openVote('V2');
  await expectPage('ballot', 'ballot-satisfaction');
  await page.getByRole('group', {name: '老旧小区雨污分流改造'}).getByRole('button', {name: '满意', exact: true}).click();
  await page.getByRole('group', {name: '农贸市场标准化改造'}).getByRole('button', {name: '基本满意'}).click();
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  await reviewFingerprint();
  assert.match(await page.textContent('main'), /未选/);
  hall.ctl('hold-vote', 'V2');
  await page.waitForSelector('text=表决已暂停，暂不能投出。');
  await accessible('review-held');
  await shot('review-held');
  assert.equal(await page.getByRole('button', {name: '确认投票'}).isDisabled(), true);
  hall.ctl('resume-vote', 'V2');
  await page.waitForSelector('.held', {state: 'detached'});
  await page.getByRole('button', {name: '确认投票'}).click();
  await page.waitForSelector('body[data-page="receipt"]');
  await page.getByRole('button', {name: '完成'}).click();
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V2');
  hall.ctl('close-vote', 'V2');
});

test('per item: 赞成/反对/弃权 with words; the card taken out and the server restarted keep the choices; close while reviewing is 未按', async () => {
  hall.openVote('V3');
  await expectPage('ballot', 'ballot-per-item');
  await page.getByRole('group', {name: '镇中心小学运动场改造'}).getByRole('button', {name: '赞成'}).click();
  // The card is taken out: the seat goes dark; the same deputy's choices come back with the card.
  await card(seat.url, 'remove');
  await page.waitForSelector('body[data-page="insert_card"]');
  await card(seat.url, `insert ${deputy}`);
  await typePin('123456');
  await page.waitForSelector('body[data-page="ballot"]');
  assert.equal(await page.getByRole('group', {name: '镇中心小学运动场改造'}).getByRole('button', {name: '赞成'})
    .getAttribute('aria-pressed'), 'true');
  // The server goes away: the seat says it is reconnecting and that the choices are kept.
  await hall.stopServer();
  await page.waitForSelector('text=正在重新连接，您的选择已保存，请勿离开');
  await accessible('ballot-reconnecting');
  await shot('ballot-reconnecting');
  await hall.startServer();
  await page.waitForSelector('#connection[hidden]', {state: 'attached', timeout: 30000});
  await page.getByRole('group', {name: '集镇自来水管网改造'}).getByRole('button', {name: '弃权'}).click();
  await page.getByRole('button', {name: '下一步：核对选择'}).click();
  await page.waitForSelector('body[data-page="review"]');
  // The chair closes the vote before this deputy confirms: 未按.
  hall.ctl('close-vote', 'V3');
  await expectPage('missed');
  await page.getByRole('button', {name: '知道了'}).click();
  await page.waitForSelector('body[data-page="waiting"]');
});
