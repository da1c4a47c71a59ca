// The purchase page in a real browser (headless Chromium, the Debian package) against a running
// suite: two shoppers. The buyer joins the queue, is let in, picks a date and seats, holds them,
// charges the balance and pays, and sees the confirmation; the other shopper watches the same seat
// map (held, then sold), loses a race for the buyer's seats, and cannot pay without balance. Every
// step asserts what the page shows; problems must be in plain words. Screenshots go to
// SCREENSHOT_DIR. Exits 1 on any failure.
//
// Environment:
//   BASE_URL          the gateway (default http://127.0.0.1:8080)
//   CHROMIUM          the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR    default ../target/browser, beside this file
//   QUEUE_ADMIN_URL   queue-service's management address (e.g. http://127.0.0.1:9081): if set, the
//                     queue is paused while the shoppers join, to see them wait, then resumed
//   PURCHASE_USER_ID, PURCHASE_RIVAL_USER_ID  the two shoppers' user ids (default random, and the next one)
//   PURCHASE_CONCERT_ID, PURCHASE_SCHEDULE_ID, PURCHASE_SEATS (three seat numbers, "7,8,9"): what to
//                     buy (the first two seats) and what the other shopper tries (the third);
//                     default the first date of the first concert and its first free seats
import {chromium} from 'playwright-core';
import {mkdirSync, readdirSync, rmSync} from 'node:fs';
import {dirname, join as joinPath, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const BASE_URL = (env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = resolve(env.SCREENSHOT_DIR || joinPath(here, '..', 'target', 'browser'));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const started = Date.now();
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const won = (amount) => `${amount.toLocaleString('en-US')} won`;

function log(message) {
    console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

/** Waits until the text of `locator` matches `pattern`; returns the text. */
async function expectText(locator, pattern, what, timeout = 15_000) {
    const deadline = Date.now() + timeout;
    let seen = '';
    while (Date.now() < deadline) {
        seen = ((await locator.textContent({timeout: 1000}).catch(() => null)) ?? '').trim();
        if (pattern.test(seen) && await locator.isVisible()) {
            return seen;
        }
        await sleep(100);
    }
    const notice = (await locator.page().locator('#notice').textContent().catch(() => '')).trim();
    throw new Error(`${what}: expected ${pattern}, the page shows "${seen}"${notice ? ` (notice: "${notice}")` : ''}`);
}

async function queueAdmin(paused) {
    const answer = await fetch(`${env.QUEUE_ADMIN_URL.replace(/\/$/, '')}/actuator/queue`, {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({paused}),
    });
    check(answer.ok, `queue ${paused ? 'pause' : 'resume'}: ${answer.status} ${await answer.text()}`);
}

/** A tab of its own (own sessionStorage), failing on any script error or refused resource. */
async function shopper(browser, name) {
    const context = await browser.newContext({baseURL: BASE_URL, viewport: {width: 1180, height: 1000}});
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(`${name}: script error: ${error.message}`));
    page.on('console', (message) => {
        // A refused request (4xx) is reported by the browser as an error; that is the API answering.
        if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) {
            problems.push(`${name}: console: ${message.text()}`);
        }
    });
    return {page, name, status: page.locator('#status'), notice: page.locator('#notice')};
}

async function join(s, userId) {
    const answer = await s.page.goto('/');
    check(answer.ok(), `${s.name}: GET / answered ${answer.status()}`);
    check(await s.page.title() === 'Concert tickets', `${s.name}: title "${await s.page.title()}"`);
    await s.page.getByLabel('Your user id').fill(String(userId));
    await s.page.getByRole('button', {name: 'Join the queue'}).click();
}

async function admitted(s) {
    await expectText(s.status, /It is your turn/, `${s.name}: admitted`, 30_000);
    const stored = await s.page.evaluate(() => JSON.parse(sessionStorage.getItem('ticketing.session')));
    check(stored?.token?.split('.').length === 3, `${s.name}: a queue token in sessionStorage: ${JSON.stringify(stored)}`);
    await expectText(s.page.locator('#balance'), /^\d[\d,]* won$/, `${s.name}: balance shown`);
}

/** Picks the concert and date; returns the seat buttons' labels by seat number. */
async function openDate(s, concertId, scheduleId) {
    const concert = s.page.getByLabel('Concert', {exact: true});
    await s.page.locator('#concert option').nth(1).waitFor({state: 'attached'});
    if (concertId) {
        await concert.selectOption(String(concertId));
    } else {
        await concert.selectOption({index: 1});
    }
    const dates = s.page.locator('#date-list input[type=radio]');
    await dates.first().waitFor();
    const date = scheduleId ? s.page.locator(`#date-list input[value="${scheduleId}"]`) : dates.first();
    await date.check();
    const label = await date.locator('xpath=..').textContent();
    const total = Number(/of (\d+) seats left/.exec(label)[1]);
    await s.page.locator('#seat-map button.seat').nth(total - 1).waitFor();
    const count = await s.page.locator('#seat-map button.seat').count();
    check(count === total, `${s.name}: ${count} seats drawn, the date has ${total}`);
    return {label: label.trim(), total};
}

function seat(s, seatNo) {
    return s.page.locator(`#seat-map button[data-seat="${seatNo}"]`);
}

async function seatLabel(s, seatNo) {
    return seat(s, seatNo).getAttribute('aria-label');
}

/** Clicks "Refresh seat map" until each seat's label ends with the state (the seat map follows events). */
async function waitForSeats(s, seatNos, state, timeout = 15_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const labels = await Promise.all(seatNos.map((no) => seatLabel(s, no)));
        if (labels.every((label) => label?.endsWith(`, ${state}`))) {
            return labels;
        }
        check(Date.now() < deadline, `${s.name}: seats ${seatNos} should show as ${state}: ${labels.join(' | ')}`);
        await sleep(150);
        await s.page.getByRole('button', {name: 'Refresh seat map'}).click();
    }
}

/** A screenshot of the whole page, from the top (the header is sticky). */
async function shot(s, name) {
    await s.page.evaluate(() => window.scrollTo(0, 0));
    await s.page.screenshot({path: joinPath(SHOTS, name), fullPage: true});
}

/** Runs `act` and returns the problem+json code the API answered to the request it made to `path`. */
async function refusal(s, method, path, act) {
    const answer = s.page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname.endsWith(path));
    await act();
    const response = await answer;
    check(response.headers()['content-type']?.startsWith('application/problem+json'),
        `${s.name}: ${method} ${path} should be refused, was ${response.status()} ${response.headers()['content-type']}`);
    return (await response.json()).code;
}

async function charge(s, amount) {
    await s.page.getByLabel(/Add to your balance/).fill(String(amount));
    await s.page.getByRole('button', {name: 'Add', exact: true}).click();
}

const problems = [];
let browser;
let paused = false;
try {
    mkdirSync(SHOTS, {recursive: true});
    readdirSync(SHOTS).filter((file) => file.endsWith('.png')).forEach((file) => rmSync(joinPath(SHOTS, file)));
    log(`page ${BASE_URL}/, Chromium ${env.CHROMIUM || '/usr/bin/chromium'}, screenshots in ${SHOTS}`);
    browser = await chromium.launch({executablePath: env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS});
    log(`browser ${browser.version()}`);
    const buyerId = Number(env.PURCHASE_USER_ID || 900_000_000 + Math.floor(Math.random() * 90_000_000));
    const rivalId = Number(env.PURCHASE_RIVAL_USER_ID || buyerId + 1);
    const buyer = await shopper(browser, 'buyer');
    const rival = await shopper(browser, 'rival');

    // 1. Join the queue; while it is paused, both wait and see their place.
    if (env.QUEUE_ADMIN_URL) {
        await queueAdmin(true);
        paused = true;
    }
    await join(buyer, buyerId);
    await join(rival, rivalId);
    if (paused) {
        const position = Number((await expectText(buyer.page.locator('#position'), /^\d[\d,]*$/, 'buyer: position')).replace(/,/g, ''));
        const rivalPosition = Number((await expectText(rival.page.locator('#position'), /^\d[\d,]*$/, 'rival: position')).replace(/,/g, ''));
        check(position >= 1 && rivalPosition > position, `positions: buyer ${position}, rival ${rivalPosition}`);
        await expectText(buyer.page.locator('#wait'), /paused/, 'buyer: no estimate while paused');
        await expectText(buyer.status, new RegExp(`waiting in line: number ${position.toLocaleString('en-US')}`), 'buyer: status');
        await shot(buyer, 'waiting.png');
        log(`waiting: buyer number ${position}, rival number ${rivalPosition}; resuming the queue`);
        await queueAdmin(false);
        paused = false;
    }
    await admitted(buyer);
    await admitted(rival);
    log('both admitted');

    // 2. A charge out of range is refused in plain words and changes nothing; then a real one.
    await expectText(buyer.page.locator('#balance'), /^0 won$/, 'buyer: a new user has nothing');
    const invalid = await refusal(buyer, 'POST', '/balance/charges', () => charge(buyer, 2_000_000));
    check(invalid === 'INVALID_AMOUNT', `buyer: charging 2,000,000 answered ${invalid}`);
    await expectText(buyer.notice, /^Enter a whole number of won from 1 to 1,000,000\.$/, 'buyer: INVALID_AMOUNT in plain words');
    await expectText(buyer.page.locator('#balance'), /^0 won$/, 'buyer: balance unchanged');
    await charge(buyer, 500_000);
    await expectText(buyer.page.locator('#balance'), /^500,000 won$/, 'buyer: balance charged');
    await expectText(buyer.status, /Added 500,000 won to your balance/, 'buyer: charge confirmed');
    log('charge: 2,000,000 refused in plain words, 500,000 added');

    // 3. Both open the same date and see the seat map.
    const concertId = env.PURCHASE_CONCERT_ID;
    const scheduleId = env.PURCHASE_SCHEDULE_ID;
    const date = await openDate(buyer, concertId, scheduleId);
    await openDate(rival, concertId, scheduleId);
    let seatNos = (env.PURCHASE_SEATS || '').split(',').filter(Boolean).map(Number);
    if (seatNos.length < 3) {
        const free = await buyer.page.locator('#seat-map button[aria-pressed]').evaluateAll(
            (buttons) => buttons.map((b) => Number(b.dataset.seat)));
        check(free.length >= 3, `three free seats on ${date.label}: ${free}`);
        seatNos = free.slice(0, 3);
    }
    const [first, second, third] = seatNos;
    for (const no of seatNos) {
        check(/, available$/.test(await seatLabel(buyer, no)), `seat ${no} available: ${await seatLabel(buyer, no)}`);
    }
    const prices = await Promise.all([first, second].map(async (no) =>
        Number(/, ([\d,]+) won,/.exec(await seatLabel(buyer, no))[1].replace(/,/g, ''))));
    const total = prices[0] + prices[1];
    log(`date ${date.label}: ${date.total} seats; buying ${first} and ${second} (${won(total)}), the rival tries ${third}`);

    // 4. Both choose the same two seats (the rival by keyboard); the buyer holds them first.
    await seat(buyer, first).click();
    await seat(buyer, second).click();
    check(await seat(buyer, first).getAttribute('aria-pressed') === 'true', 'buyer: seat chosen');
    await expectText(buyer.page.locator('#selection'), new RegExp(`^Chosen: seats ${first} and ${second}, ${won(total)} in all\\.$`), 'buyer: selection');
    for (const no of [first, second]) {
        await seat(rival, no).focus();
        await rival.page.keyboard.press('Space');
    }
    await expectText(rival.page.locator('#selection'), new RegExp(`^Chosen: seats ${first} and ${second}`), 'rival: selection by keyboard');
    await buyer.page.getByRole('button', {name: 'Hold these seats'}).click();
    await expectText(buyer.page.locator('#reservation-summary'), new RegExp(`^Seats ${first} and ${second} for .+: ${won(total)} in all\\.$`), 'buyer: hold');
    const heldAt = Date.now();
    await expectText(buyer.page.locator('#countdown'), /^\d+:\d\d$/, 'buyer: countdown');
    await expectText(buyer.page.locator('#selection'), /^No seats chosen/, 'buyer: selection cleared by the hold');
    for (const no of [first, second]) {
        check((await seatLabel(buyer, no)).endsWith(', held by you'), `buyer: own seat shown as held: ${await seatLabel(buyer, no)}`);
    }
    log(`held, ${await buyer.page.locator('#countdown').textContent()} to pay`);

    // 5. The rival loses the race, in plain words, and sees the seats held.
    const taken = await refusal(rival, 'POST', '/api/v1/reservations',
        () => rival.page.getByRole('button', {name: 'Hold these seats'}).click());
    check(taken === 'SEAT_UNAVAILABLE', `rival: holding the buyer's seats answered ${taken}`);
    await expectText(rival.notice, new RegExp(`^Sorry, someone else got there first \\(seats ${first} and ${second}\\)`), 'rival: SEAT_UNAVAILABLE in plain words');
    await waitForSeats(rival, [first, second], 'held');
    log('rival: seat unavailable in plain words; seats shown held');

    // 6. The buyer pays and sees the confirmation (the rival's screenshot meanwhile: holds may be short).
    const raceShot = shot(rival, 'race.png');
    await buyer.page.getByRole('button', {name: `Pay ${won(total)}`}).click();
    log(`pay clicked ${((Date.now() - heldAt) / 1000).toFixed(1)} s after the hold`);
    await raceShot;
    const confirmation = await expectText(buyer.page.locator('#confirmation'),
        new RegExp(`^Seats ${first} and ${second} for .+ are yours\\. You paid ${won(total)}; your balance is now ${won(500_000 - total)}\\.`),
        'buyer: confirmation', 30_000);
    log(`paid ${((Date.now() - heldAt) / 1000).toFixed(1)} s after the hold: "${confirmation}"`);
    await expectText(buyer.status, /Your tickets are confirmed/, 'buyer: status');
    await expectText(buyer.page.locator('#balance'), new RegExp(`^${won(500_000 - total)}$`), 'buyer: balance reduced');
    check(await buyer.page.locator('#done-title').evaluate((el) => el === document.activeElement), 'buyer: focus on the confirmation');
    await shot(buyer, 'purchase.png');

    // 7. A reload keeps the session: the confirmation, and the balance read back from the API.
    await buyer.page.reload();
    await expectText(buyer.page.locator('#confirmation'), new RegExp(`^Seats ${first} and ${second} are yours\\. You paid ${won(total)}\\.`), 'buyer: confirmation after reload');
    await expectText(buyer.page.locator('#balance'), new RegExp(`^${won(500_000 - total)}$`), 'buyer: balance after reload');
    log('reload: confirmation and balance read back');

    // 8. The rival sees them sold, then holds another seat and cannot pay without balance.
    await waitForSeats(rival, [first, second], 'sold');
    await shot(rival, 'seat-map.png');
    await seat(rival, third).click();
    await rival.page.getByRole('button', {name: 'Hold these seats'}).click();
    await rival.page.locator('#reservation').waitFor();
    const poor = await refusal(rival, 'POST', '/api/v1/payments', () => rival.page.getByRole('button', {name: /^Pay /}).click());
    check(poor === 'INSUFFICIENT_BALANCE', `rival: paying without balance answered ${poor}`);
    await expectText(rival.notice, /^Your balance is too low for this payment\. Add money to your balance, then pay again\.$/, 'rival: INSUFFICIENT_BALANCE in plain words');
    await expectText(rival.page.locator('#balance'), /^0 won$/, 'rival: balance unchanged');
    await shot(rival, 'insufficient-balance.png');
    await rival.page.getByRole('button', {name: 'Release these seats'}).click();
    await expectText(rival.status, new RegExp(`^You released seat ${third}\\.$`), 'rival: released');
    log('rival: sold seats shown, insufficient balance in plain words, hold released');

    check(problems.length === 0, `the page reported problems:\n  ${problems.join('\n  ')}`);
    log('PASSED');
} catch (error) {
    console.error(`FAILED: ${error.stack || error}`);
    if (problems.length) {
        console.error(`the page also reported:\n  ${problems.join('\n  ')}`);
    }
    for (const context of browser?.contexts() ?? []) {
        for (const [i, page] of context.pages().entries()) {
            await page.screenshot({path: joinPath(SHOTS, `failure-${browser.contexts().indexOf(context)}-${i}.png`), fullPage: true}).catch(() => {});
        }
    }
    process.exitCode = 1;
} finally {
    if (paused) {
        await queueAdmin(false).catch((error) => console.error(`could not resume the queue: ${error}`));
    }
    await browser?.close();
}
