// The chair's console in a real browser against a real server: open sign-in, the quorum light and the absent by
// name, 宣布开会 blocked until the quorum is reached, a vote prepared, blocked until the presidium approves, opened,
// held with a reason, resumed and closed — every command through a dialog that says what will happen — then the
// result after decryption and its certification by name, and the server lost and found again. axe-core checks
// each screen for WCAG 2.1 AA; screenshots at 1366×768 to docs/screens/console-*.png.
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import {after, before, test} from 'node:test';
import {chromium} from 'playwright-core';

import {browserOptions, checkAccessible, Hall, screens, screenshot, stop} from './hall.mjs';

const hall = new Hall();
let console_;
let simulated;
let browser;
let page;

async function shoot(name) {
  await checkAccessible(page, name);
  await screenshot(page, `console-${name}`);
}

// Clicks the command button, checks the dialog's words, then confirms (with a reason when one is asked).
async function runCommand(label, {vote = '', expect, reason, shot} = {}) {
  const before = await page.textContent('#notice');
  const row = vote ? page.locator(`tr[data-vote="${vote}"]`) : page.locator('#session-commands');
  await row.getByRole('button', {name: label}).click();
  await page.waitForSelector('dialog[open]');
  if (expect) assert.match(await page.textContent('#confirm-text'), expect);
  if (reason !== undefined) await page.fill('#reason', reason);
  if (shot) await shoot(shot);
  await page.getByRole('button', {name: '确认执行'}).click();
  await page.waitForSelector('dialog[open]', {state: 'detached'}).catch(() => {});
  // The command's own outcome: a notice that is neither the one before nor the busy one.
  await page.waitForFunction((previous) => {
    const notice = document.getElementById('notice');
    return !notice.hidden && notice.classList.contains('ok') && notice.textContent !== previous;
  }, before, {timeout: 30000});
}

const voteState = (vote) => page.textContent(`tr[data-vote="${vote}"] .state`);

before(async () => {
  mkdirSync(screens, {recursive: true});
  hall.setUp();
  await hall.startServer();
  console_ = await hall.startConsole();
  browser = await chromium.launch(browserOptions);
  page = await browser.newPage({viewport: {width: 1366, height: 768}});
  await page.goto(console_.url);
  await page.waitForSelector('body[data-state="connected"]', {timeout: 30000});
});

after(async () => {
  await browser?.close();
  await stop(simulated);
  await stop(console_?.child);
  await hall.stopServer();
});

test('sign-in: a dialog before it opens, the absent by name, 宣布开会 blocked until the quorum', async () => {
  await page.waitForSelector('#session-commands >> text=开始签到');
  await shoot('prepared');
  await runCommand('开始签到', {expect: /代表在座席插入代表证/, shot: 'confirm-sign-in'});
  await page.waitForSelector('text=签到已开始。');
  const start = page.locator('#session-commands').getByRole('button', {name: '宣布开会'});
  await start.waitFor();
  assert.equal(await start.isDisabled(), true);
  await page.waitForSelector('text=/未达到法定人数，不能宣布开会/');
  assert.match(await page.textContent('#absent'), /蒋小勇（1排1座）/);
  await shoot('sign-in');
  simulated = hall.simulate(0, 5);
  await page.waitForFunction(() => document.getElementById('present').textContent === '5', null, {timeout: 30000});
  await page.waitForSelector('#quorum.met');
  assert.equal(await page.locator('#absent li').count(), 1);
  await runCommand('宣布开会', {expect: /应到 6 人，实到 5 人/});
  await page.waitForSelector('text=会议进行中');
});

test('a vote: prepared, blocked until approved, opened, held with a reason, resumed, closed', async () => {
  await runCommand('生成选票', {vote: 'V3', expect: /《.+》的选票，交主席团成员核对并批准/});
  await page.waitForSelector('tr[data-vote="V3"] >> text=选票尚缺 2 名主席团成员批准（已批准 0/2）。');
  const open = page.locator('tr[data-vote="V3"]').getByRole('button', {name: '开始表决'});
  assert.equal(await open.isDisabled(), true);
  await shoot('awaiting-approval');
  hall.approve('V3');
  await page.waitForFunction(() => {
    const button = document.querySelector('tr[data-vote="V3"] button[data-command="open-vote"]');
    return button && !button.disabled;
  }, null, {timeout: 30000});
  await runCommand('开始表决', {vote: 'V3', expect: /选票发往已签到的 5 位代表的座席/});
  assert.equal(await voteState('V3'), '投票中');
  await hall.waitFor((r) => r.returned >= 5, 'progress', 'V3');
  await page.waitForSelector('tr[data-vote="V3"] >> text=发出 5 张，已收回 5 张', {timeout: 30000});
  assert.doesNotMatch(await page.textContent('main'), /赞成|反对|通过/, 'no count of any option while voting');
  assert.match(await page.textContent('tr[data-vote="V3"] .timer'), /^\d\d:\d\d 开始，已进行 /);
  await shoot('voting');
  await runCommand('暂停表决', {vote: 'V3', reason: '代表提出疑问，暂停核实', shot: 'confirm-hold'});
  await page.waitForSelector('text=表决已暂停：代表提出疑问，暂停核实');
  assert.equal(await voteState('V3'), '暂停');
  await runCommand('恢复表决', {vote: 'V3'});
  await page.waitForFunction(() => document.querySelector('tr[data-vote="V3"] .state').textContent === '投票中');
  await runCommand('截止表决', {vote: 'V3', expect: /尚未投出的 0 位代表记为未按/, shot: 'confirm-close'});
  await page.waitForSelector('text=/第1轮表决已截止：发出 5 张，收回 5 张/');
  assert.equal(await page.locator('table.result').count(), 0, 'no result before decryption');
});

test('the result after decryption, its certification by name; the server lost and found', async () => {
  hall.decrypt('V3');
  await page.waitForSelector('table.result', {timeout: 30000});
  await page.waitForSelector('.badge.pending');
  assert.match(await page.textContent('table.result'), /镇中心小学运动场改造/);
  hall.certify('V3');
  await page.waitForSelector('.badge.certified', {timeout: 30000});
  assert.match(await page.textContent('tr[data-vote="V3"]'), /计票结果确认/);
  await shoot('result');
  await hall.stopServer();
  await page.waitForSelector('#connection:not([hidden])', {timeout: 30000});
  assert.equal(await page.locator('#session-commands button').count(), 0, 'no command while the server is lost');
  await shoot('reconnecting');
  await hall.startServer();
  await page.waitForSelector('#connection[hidden]', {state: 'attached', timeout: 30000});
});
