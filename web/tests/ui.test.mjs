// The web UI end to end: a real hushd (HUSHD_BIN) serving web/, driven page by page in headless
// Chromium (HUSH_CHROMIUM, default /usr/bin/chromium). Every page gets a screenshot in
// HUSH_SCREENSHOT_DIR (default: a temp dir) that must be viewport-sized and not blank, and no
// page may log a console error, throw, or have a request fail.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { imageStats, decodePng } from './png.mjs';
import { PASSWORD, speechWav, startHushd, uploadAndWait } from './hushd.mjs';

const HUSHD = process.env.HUSHD_BIN;
const CHROMIUM = process.env.HUSH_CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const SHOTS = process.env.HUSH_SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'hush-web-shots-'));
const skip = !HUSHD ? 'set HUSHD_BIN to the hushd binary' : !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : false;

describe('hushd web UI', { skip }, () => {
  let server, browser, page, wav, meeting;
  const problems = [];  // console errors, page errors, failed requests since the last check

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    server = await startHushd(HUSHD);
    wav = speechWav(server.dir);
    await server.call('PATCH', `/v1/workspaces/${server.admin.workspace}/settings`, { recording_enabled: true });
    meeting = await uploadAndWait(server, wav, 'Weekly planning meeting');
    await uploadAndWait(server, wav, 'Budget review');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'],
    });
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => {
      // The media element reads its blob: source in ranges and cancels what it no longer
      // needs; those cancellations are not failures.
      if (r.url().startsWith('blob:') && r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
    console.log(`# screenshots in ${SHOTS}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const ready = (name) => page.waitForSelector(`main[data-page="${name}"][data-ready="true"]`);

  // The page's screenshot is real (viewport-sized, not blank) and nothing went wrong on it.
  async function checkPage(name) {
    await page.evaluate(() => document.fonts.ready);
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file });
    const png = decodePng(fs.readFileSync(file));
    assert.equal(png.width, VIEWPORT.width, `${name}.png width`);
    assert.equal(png.height, VIEWPORT.height, `${name}.png height`);
    const stats = imageStats(png);
    assert.ok(stats.distinctColours >= 32, `${name}.png looks blank: ${stats.distinctColours} colours`);
    assert.ok(stats.lumaStdDev >= 8, `${name}.png looks blank: luminance deviation ${stats.lumaStdDev.toFixed(1)}`);
    assert.deepEqual(problems.splice(0), [], `problems on the ${name} page`);
  }

  it('signs in', async () => {
    await page.goto(server.base + '/');
    await ready('login');
    assert.equal(new URL(page.url()).pathname, '/login');
    const headers = (await page.request.get(server.base + '/')).headers();
    assert.match(headers['content-security-policy'], /script-src 'self'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await page.getByLabel('E-mail address').fill(server.admin.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await checkPage('login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ready('recordings');
    assert.ok(await page.evaluate(() => sessionStorage.getItem('hush.token')?.startsWith('hs_')));
  });

  it('lists and searches recordings', async () => {
    await page.waitForSelector('tbody tr');
    assert.equal(await page.locator('tbody tr').count(), 2);
    await page.getByLabel('Search recordings').fill('planning');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    assert.match(await page.locator('tbody').innerText(), /Weekly planning meeting/);
    assert.match(page.url(), /\?q=planning$/);
    await checkPage('recordings');
  });

  it('shows a meeting: player, transcript, timeline, notes', async () => {
    await page.getByRole('link', { name: 'Weekly planning meeting' }).click();
    await ready('meeting');
    await page.waitForFunction(() => document.querySelector('audio')?.duration > 0, null, { timeout: 15000 });
    const duration = await page.evaluate(() => document.querySelector('audio').duration);
    assert.ok(Math.abs(duration - meeting.duration_s) < 0.5, `player duration ${duration} vs ${meeting.duration_s}`);
    const segments = meeting.transcript.segments;
    assert.ok(segments.length >= 2, 'the meeting has segments');
    assert.equal(await page.locator('.transcript li').count(), segments.length);
    assert.equal(await page.locator('.timeline .bar').count(), segments.length);
    // hushd diarizes each recording: the two voices of the test meeting get a lane each.
    assert.equal(await page.locator('.timeline .lane').count(), 2);
    assert.equal(new Set(segments.map((s) => s.speaker)).size, 2, 'two speakers in the transcript');
    const transcriptText = await page.locator('.transcript').innerText();
    assert.ok(transcriptText.includes(segments[1].text.split(' ')[0]), 'the transcript shows the words');
    // Clicking a timestamp seeks the player there.
    const target = segments[segments.length - 1];
    await page.locator('.transcript li').last().locator('button.timestamp').click();
    await page.waitForFunction((t) => Math.abs(document.querySelector('audio').currentTime - t) < 1.5, target.start_s);
    await page.evaluate(() => document.querySelector('audio').pause());
    // Notes: whatever the recording has, under their headings.
    assert.ok(meeting.notes, 'notes were made');
    const notes = await page.locator('.notes').innerText();
    if (meeting.notes.summary?.length) assert.match(notes, /Summary/);
    if (meeting.notes.action_items?.length) assert.match(notes, /Action items/);
    if (meeting.notes.chapters?.length) assert.match(notes, /Chapters/);
    assert.ok(notes.length > 40, `notes shown: ${notes}`);
    await checkPage('meeting');
  });

  it('changes workspace settings and members', async () => {
    await page.getByRole('link', { name: 'Workspace' }).click();
    await ready('settings');
    const notes = page.getByLabel(/^Meeting notes/);
    const wasOn = await notes.isChecked();
    await notes.setChecked(!wasOn);
    await page.getByLabel('Retention (days)').fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    const ws = await server.call('GET', `/v1/workspaces/${server.admin.workspace}`);
    assert.equal(ws.settings.notes_enabled, !wasOn);
    assert.equal(ws.settings.retention_days, 30);
    // Add Bob as a viewer, then make him a member.
    await page.getByLabel('E-mail of an existing account').fill(server.other.email);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await page.getByRole('button', { name: 'Add member' }).click();
    const bobRole = page.getByLabel(`Role of ${server.other.email}`);
    await bobRole.waitFor();
    assert.equal(await bobRole.inputValue(), 'viewer');
    await bobRole.selectOption('member');
    await page.getByRole('status').filter({ hasText: 'is now member' }).waitFor();
    const { members } = await server.call('GET', `/v1/workspaces/${server.admin.workspace}/members`);
    assert.equal(members.find((m) => m.email === server.other.email)?.role, 'member');
    await checkPage('settings');
  });

  it('privacy centre: consents and data export', async () => {
    await page.getByRole('link', { name: 'Privacy' }).click();
    await ready('privacy');
    const consent = page.getByLabel(/^Training feedback/);
    assert.equal(await consent.isChecked(), false);
    await consent.check();
    await page.getByRole('status').filter({ hasText: 'Granted' }).waitFor();
    const me = await server.call('GET', '/v1/me');
    assert.ok(me.consents.includes('training_feedback'), `consents: ${me.consents}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'hush-export.zip');
    const zip = fs.readFileSync(await download.path());
    assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the export is a ZIP');
    assert.ok(zip.length > 1000);
    await checkPage('privacy');
  });

  it('audit log for admins', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await ready('audit');
    await page.waitForSelector('tbody tr');
    assert.ok(await page.locator('tbody tr').count() >= 3);
    assert.match(await page.locator('tbody').innerText(), /recording\.view/);
    await checkPage('audit');
  });

  it('live page streams a file and shows its transcript', async () => {
    await page.getByRole('link', { name: 'Live' }).click();
    await ready('live');
    await page.getByLabel('Audio file').setInputFiles(wav);
    await page.getByRole('button', { name: 'Stream the file' }).click();
    const state = page.getByRole('status').filter({ hasText: /^Stream (ended|closed)/ });
    await state.waitFor({ timeout: 90000 });
    assert.equal(await state.innerText(), 'Stream ended.');
    const finals = await page.locator('.finals').innerText();
    assert.ok(finals.trim().split(/\s+/).length >= 5, `live transcript: "${finals}"`);
    await checkPage('live');
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await ready('login');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('hush.token')), null);
    assert.equal(await page.locator('#nav').isHidden(), true);
    await checkPage('signed-out');
  });
});
