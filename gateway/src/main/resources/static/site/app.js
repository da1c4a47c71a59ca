// The purchase page: queue, date, seats, hold, balance, payment, confirmation. Plain DOM, no
// framework; the API is docs/design.md section 3, reached through the gateway that serves this page.
import {call, newKey, Problem} from './api.js';
import {describe} from './messages.js';

const MAX_SEATS = 4;
const DEFAULT_POLL_SECONDS = 2;
const SESSION_KEY = 'ticketing.session';

const $ = (id) => document.getElementById(id);
const show = (id, visible = true) => { $(id).hidden = !visible; };
const won = (amount) => `${Number(amount).toLocaleString('en-US')} won`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const seatWords = (seatNos) => (seatNos.length === 1 ? `seat ${seatNos[0]}`
    : `seats ${seatNos.slice(0, -1).join(', ')} and ${seatNos[seatNos.length - 1]}`);

// What survives a reload of the tab: the queue token, its user and the open reservation.
const session = {token: null, userId: null, reservationId: null};
let concerts = [];
let schedules = [];
let schedule = null;
let seats = [];
const selected = new Set();
let reservation = null;
let pollTimer = null;
let countdownTimer = null;
const keys = {}; // Idempotency-Key per action, kept until that action gets a definite answer

function save() {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

function say(text) {
    if ($('status').textContent !== text) {
        $('status').textContent = text;
    }
}

function warn(problemOrText) {
    $('notice').textContent = typeof problemOrText === 'string' ? problemOrText : describe(problemOrText);
    show('notice');
}

function clearNotice() {
    show('notice', false);
    $('notice').textContent = '';
}

function dateText(iso, timeZone) {
    return new Intl.DateTimeFormat('en-GB', {
        weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
        hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    }).format(new Date(iso));
}

function waitText(seconds) {
    if (seconds === null || seconds === undefined) {
        return 'Estimated wait: the queue is paused for now; your place is kept.';
    }
    if (seconds < 60) {
        const whole = Math.max(1, Math.round(seconds));
        return `Estimated wait: about ${whole} second${whole === 1 ? '' : 's'}.`;
    }
    const minutes = Math.round(seconds / 60);
    return `Estimated wait: about ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/** The same key while the same request is retried (a replay changes nothing), a new one otherwise. */
function keyFor(action, body) {
    const text = JSON.stringify(body);
    if (!keys[action] || keys[action].body !== text) {
        keys[action] = {key: newKey(), body: text};
    }
    return keys[action].key;
}

function settled(action, problem) {
    const retryable = problem && (problem.status === 0 || problem.status === 429 || problem.status >= 500
        || problem.code === 'IDEMPOTENCY_IN_PROGRESS');
    if (!retryable) {
        delete keys[action];
    }
}

async function send(action, method, path, body) {
    try {
        const answer = await call(method, path, {token: session.token, body, idempotencyKey: keyFor(action, body)});
        settled(action);
        return answer;
    } catch (problem) {
        settled(action, problem);
        throw problem;
    }
}

function handle(problem) {
    if (!(problem instanceof Problem)) {
        console.error(problem);
        warn('Something went wrong on this page. Reload it and try again.');
    } else if (['TOKEN_MISSING', 'TOKEN_INVALID', 'TOKEN_EXPIRED'].includes(problem.code)) {
        endPass(describe(problem));
    } else if (problem.code === 'QUEUE_NOT_ADMITTED') {
        warn(problem);
        poll(DEFAULT_POLL_SECONDS);
    } else {
        warn(problem);
    }
}

/** A button's handler: one request at a time, problems shown in plain words. */
function action(button, run) {
    return async (event) => {
        event?.preventDefault();
        if (button.disabled) {
            return;
        }
        button.disabled = true;
        clearNotice();
        try {
            await run();
        } catch (problem) {
            handle(problem);
        } finally {
            button.disabled = false;
            updateControls();
        }
    };
}

/** Whether this page holds seats that can still be paid for. */
function holding() {
    return reservation?.status === 'PENDING_PAYMENT' && Date.parse(reservation.expiresAt) > Date.now();
}

function updateControls() {
    const open = holding();
    $('hold').disabled = selected.size === 0 || open;
    $('pay').disabled = !open;
    $('release').disabled = !open;
}

// --- Queue -------------------------------------------------------------------------------------

async function join() {
    const text = $('user-id').value.trim();
    if (!/^[1-9]\d{0,14}$/.test(text)) {
        warn('Enter your user id: a whole number from 1 up.');
        $('user-id').focus();
        return;
    }
    const {body} = await call('POST', '/queue/tokens', {body: {userId: Number(text)}});
    Object.assign(session, {token: body.token, userId: body.userId, reservationId: null});
    save();
    showQueue(body, null);
}

function poll(seconds) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(async () => {
        try {
            const {body, retryAfter} = await call('GET', '/queue/status', {token: session.token});
            showQueue(body, retryAfter);
        } catch (problem) {
            if (['TOKEN_MISSING', 'TOKEN_INVALID', 'TOKEN_EXPIRED'].includes(problem.code)) {
                handle(problem);
            } else {
                warn(problem);
                poll(problem.retryAfter ?? 5);
            }
        }
    }, seconds * 1000);
}

function showQueue(view, retryAfter) {
    clearTimeout(pollTimer);
    show('join-form', false);
    if ($('wallet').hidden && view.status !== 'EXPIRED') {
        show('wallet');
        loadBalance().catch(handle);
    }
    if (view.status === 'WAITING') {
        show('waiting');
        $('position').textContent = view.position.toLocaleString('en-US');
        $('wait').textContent = waitText(view.estimatedWaitSeconds);
        say(`You are waiting in line: number ${view.position.toLocaleString('en-US')}.`);
        poll(retryAfter ?? DEFAULT_POLL_SECONDS);
    } else if (view.status === 'ACTIVE') {
        clearNotice();
        show('waiting', false);
        show('join', false);
        say(`It is your turn. Your pass is valid until ${dateText(view.activeUntil)}.`);
        enterShop().catch(handle);
    } else {
        endPass('Your queue pass has ended. Join the queue again to keep shopping.');
    }
}

function endPass(message) {
    clearTimeout(pollTimer);
    session.token = null;
    session.reservationId = null;
    save();
    reservation = null;
    renderReservation();
    ['waiting', 'shop', 'seats', 'wallet'].forEach((id) => show(id, false));
    show('join');
    show('join-form');
    say('Join the queue to buy tickets.');
    warn(message);
}

// --- Concerts, dates and seats -------------------------------------------------------------------

async function enterShop() {
    show('shop');
    if (concerts.length === 0) {
        concerts = (await call('GET', '/concerts')).body.concerts;
        $('concert').append(...concerts.map((c) => new Option(`${c.title} (${c.venue})`, c.concertId)));
    }
}

async function loadDates() {
    const concertId = $('concert').value;
    schedule = null;
    show('seats', false);
    if (!concertId) {
        show('dates', false);
        return;
    }
    schedules = (await call('GET', `/concerts/${concertId}/schedules`, {token: session.token})).body.schedules;
    const list = $('date-list');
    list.replaceChildren(...schedules.map((s) => {
        const label = document.createElement('label');
        label.className = 'date';
        const radio = Object.assign(document.createElement('input'), {type: 'radio', name: 'date', value: s.scheduleId});
        const left = Object.assign(document.createElement('span'), {className: 'left', textContent: s.availableSeats});
        label.append(radio, ` ${dateText(s.startsAt, s.timeZone)} · `, left, ` of ${s.totalSeats} seats left`);
        return label;
    }));
    if (schedules.length === 0) {
        list.textContent = 'No upcoming dates for this concert.';
    }
    show('dates');
}

async function pickDate(event) {
    schedule = schedules.find((s) => String(s.scheduleId) === event.target.value);
    selected.clear();
    await loadSeats();
    show('seats');
}

async function loadSeats() {
    if (!schedule) {
        return;
    }
    const concertId = $('concert').value;
    seats = (await call('GET', `/concerts/${concertId}/schedules/${schedule.scheduleId}/seats`, {token: session.token})).body.seats;
    seats.filter((s) => s.status !== 'AVAILABLE').forEach((s) => selected.delete(s.seatNo));
    const left = $('date-list').querySelector(`input[value="${schedule.scheduleId}"] ~ .left`);
    if (left) {
        left.textContent = seats.filter((s) => s.status === 'AVAILABLE').length;
    }
    const grades = new Map(seats.map((s) => [s.grade, s.price]));
    $('prices').textContent = `Prices: ${[...grades].map(([grade, price]) => `${grade} ${won(price)}`).join(' · ')}`;
    renderSeats();
}

/** Seats of this page's hold: held, even before the seat map (kept from events) shows it. */
function isMine(seatNo) {
    return holding() && reservation.scheduleId === schedule?.scheduleId && reservation.seatNos.includes(seatNo);
}

function renderSeats() {
    $('seat-map').replaceChildren(...seats.map((seat) => {
        const chosen = selected.has(seat.seatNo);
        const mine = isMine(seat.seatNo);
        const kind = chosen ? 'selected' : mine ? 'held' : seat.status.toLowerCase();
        const word = {available: 'free', selected: 'chosen', held: mine ? 'yours' : 'held', sold: 'sold'}[kind];
        const state = {available: 'available', selected: 'chosen', held: mine ? 'held by you' : 'held', sold: 'sold'}[kind];
        const button = document.createElement('button');
        button.type = 'button';
        button.className = `seat ${kind}${mine ? ' mine' : ''}`;
        button.dataset.seat = seat.seatNo;
        button.append(String(seat.seatNo), Object.assign(document.createElement('small'), {textContent: word}));
        button.title = `Seat ${seat.seatNo}, grade ${seat.grade}, ${won(seat.price)}, ${state}`;
        button.setAttribute('aria-label', button.title);
        if (seat.status === 'AVAILABLE' && !mine) {
            button.setAttribute('aria-pressed', String(chosen));
        } else {
            button.setAttribute('aria-disabled', 'true');
        }
        return button;
    }));
    renderSelection();
}

function toggleSeat(event) {
    const button = event.target.closest('button.seat');
    if (!button) {
        return;
    }
    const seatNo = Number(button.dataset.seat);
    const seat = seats.find((s) => s.seatNo === seatNo);
    clearNotice();
    if (seat.status !== 'AVAILABLE' || isMine(seatNo)) {
        warn(`Seat ${seatNo} is ${isMine(seatNo) ? 'already held by you' : seat.status.toLowerCase()}: choose an available seat.`);
    } else if (selected.has(seatNo)) {
        selected.delete(seatNo);
    } else if (selected.size >= MAX_SEATS) {
        warn(`You can hold up to ${MAX_SEATS} seats at a time.`);
    } else {
        selected.add(seatNo);
    }
    renderSeats();
    $('seat-map').querySelector(`[data-seat="${seatNo}"]`).focus();
}

function renderSelection() {
    const chosen = [...selected].sort((a, b) => a - b);
    const total = chosen.reduce((sum, no) => sum + seats.find((s) => s.seatNo === no).price, 0);
    $('selection').textContent = chosen.length === 0 ? `No seats chosen (up to ${MAX_SEATS}).`
        : `Chosen: ${seatWords(chosen)}, ${won(total)} in all.`;
    updateControls();
}

// --- Hold, payment, confirmation ----------------------------------------------------------------

async function hold() {
    const body = {scheduleId: schedule.scheduleId, seatNos: [...selected].sort((a, b) => a - b)};
    try {
        reservation = (await send('hold', 'POST', '/reservations', body)).body;
    } catch (problem) {
        if (problem.code === 'SEAT_UNAVAILABLE') {
            await loadSeats();
        }
        throw problem;
    }
    session.reservationId = reservation.reservationId;
    save();
    selected.clear();
    renderSeats();
    say(`You hold ${seatWords(reservation.seatNos)}. Pay before the time runs out.`);
    renderReservation();
    await loadSeats();
}

function renderReservation() {
    clearInterval(countdownTimer);
    if (reservation?.status !== 'PENDING_PAYMENT') {
        show('reservation', false);
        updateControls();
        return;
    }
    const concert = concerts.find((c) => c.concertId === reservation.concertId);
    const date = schedules.find((s) => s.scheduleId === reservation.scheduleId);
    $('reservation-summary').textContent = capital(seatWords(reservation.seatNos))
        + `${concert ? ` for ${concert.title}` : ''}${date ? `, ${dateText(date.startsAt, date.timeZone)}` : ''}:`
        + ` ${won(reservation.amount)} in all.`;
    $('pay').textContent = `Pay ${won(reservation.amount)}`;
    show('reservation');
    const tick = () => {
        const left = Math.ceil((Date.parse(reservation.expiresAt) - Date.now()) / 1000);
        if (left > 0) {
            $('countdown').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
            return;
        }
        clearInterval(countdownTimer);
        $('countdown').textContent = 'time is up';
        warn('Your hold ran out, so these seats go back on sale. Choose seats again.');
        session.reservationId = null;
        save();
        updateControls();
    };
    tick();
    countdownTimer = setInterval(tick, 250);
    updateControls();
}

async function pay() {
    const payment = (await send('pay', 'POST', '/payments', {reservationId: reservation.reservationId})).body;
    clearInterval(countdownTimer);
    setBalance(payment.balanceAfter);
    say('Payment received. Confirming your seats...');
    for (let attempt = 0; attempt < 60; attempt++) {
        const current = (await call('GET', `/reservations/${payment.reservationId}`, {token: session.token})).body;
        if (current.status === 'CONFIRMED') {
            showDone(current, payment);
            return;
        }
        if (current.status !== 'PENDING_PAYMENT') {
            reservation = current;
            renderReservation();
            warn('Your payment arrived too late to keep these seats, so it is refunded to your balance.');
            await sleep(2000);
            await loadBalance();
            return;
        }
        await sleep(attempt < 10 ? 500 : 1000);
    }
    warn('Your payment was received, but the confirmation is taking longer than usual. Reload this page in a minute.');
}

function showDone(confirmed, payment) {
    reservation = confirmed;
    renderReservation();
    ['join', 'shop', 'seats'].forEach((id) => show(id, false));
    const concert = concerts.find((c) => c.concertId === confirmed.concertId);
    const date = schedules.find((s) => s.scheduleId === confirmed.scheduleId);
    $('confirmation').textContent = capital(seatWords(confirmed.seatNos))
        + `${concert ? ` for ${concert.title}` : ''}${date ? ` on ${dateText(date.startsAt, date.timeZone)}` : ''} are yours.`
        + ` You paid ${won(confirmed.amount)}${payment ? `; your balance is now ${won(payment.balanceAfter)}` : ''}.`
        + ` Reservation number ${confirmed.reservationId}${payment ? `, payment number ${payment.paymentId}` : ''}.`;
    show('done');
    say('Your tickets are confirmed.');
    $('done-title').focus();
}

async function release() {
    reservation = (await call('DELETE', `/reservations/${reservation.reservationId}`, {token: session.token})).body;
    say(`You released ${seatWords(reservation.seatNos)}.`);
    session.reservationId = null;
    save();
    renderReservation();
    await loadSeats();
}

// --- Balance -------------------------------------------------------------------------------------

function setBalance(amount) {
    $('balance').textContent = won(amount);
}

async function loadBalance() {
    if (session.token) {
        setBalance((await call('GET', `/users/${session.userId}/balance`, {token: session.token})).body.balance);
    }
}

async function charge() {
    const text = $('amount').value.replace(/[\s,_]/g, '');
    if (!/^\d+(\.\d+)?$/.test(text)) {
        warn(describe({code: 'INVALID_AMOUNT'}));
        $('amount').focus();
        return;
    }
    const amount = Number(text);
    const {body} = await send('charge', 'POST', `/users/${session.userId}/balance/charges`, {amount});
    setBalance(body.balance);
    $('amount').value = '';
    say(`Added ${won(amount)} to your balance.`);
}

// --- Start -----------------------------------------------------------------------------------------

async function resume() {
    if (session.reservationId) {
        const current = (await call('GET', `/reservations/${session.reservationId}`, {token: session.token})).body;
        if (current.status === 'CONFIRMED') {
            show('wallet');
            await loadBalance();
            showDone(current, null);
            return;
        }
        reservation = current;
        renderReservation();
    }
    poll(0);
}

function again() {
    session.token = null;
    session.reservationId = null;
    save();
    reservation = null;
    ['done', 'wallet'].forEach((id) => show(id, false));
    show('join');
    show('join-form');
    say('Join the queue to buy tickets.');
    $('user-id').focus();
}

Object.assign(session, JSON.parse(sessionStorage.getItem(SESSION_KEY) || '{}'));
$('user-id').value = session.userId ?? String(100000 + Math.floor(Math.random() * 900000));
$('join-form').addEventListener('submit', action($('join-form').querySelector('button'), join));
$('concert').addEventListener('change', () => loadDates().catch(handle));
$('date-list').addEventListener('change', (event) => pickDate(event).catch(handle));
$('seat-map').addEventListener('click', toggleSeat);
$('hold').addEventListener('click', action($('hold'), hold));
$('refresh-seats').addEventListener('click', action($('refresh-seats'), loadSeats));
$('pay').addEventListener('click', action($('pay'), pay));
$('release').addEventListener('click', action($('release'), release));
$('charge-form').addEventListener('submit', action($('charge-form').querySelector('button'), charge));
$('again').addEventListener('click', again);
$('done-title').tabIndex = -1;
if (session.token) {
    resume().catch(handle);
}
