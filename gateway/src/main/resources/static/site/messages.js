// Every problem+json code of docs/design.md section 3 in plain words. A code not listed here
// falls back to the server's own detail.

function seatList(seatNos) {
    if (!Array.isArray(seatNos) || seatNos.length === 0) {
        return '';
    }
    return seatNos.length === 1 ? ` (seat ${seatNos[0]})` : ` (seats ${seatNos.slice(0, -1).join(', ')} and ${seatNos.at(-1)})`;
}

const MESSAGES = {
    INVALID_REQUEST: () => 'Something in that request was not accepted. Check what you entered and try again.',
    INVALID_AMOUNT: () => 'Enter a whole number of won from 1 to 1,000,000.',
    TOKEN_MISSING: () => 'You need a place in the queue first. Join the queue to continue.',
    TOKEN_INVALID: () => 'Your queue pass is not valid any more. Join the queue again.',
    TOKEN_EXPIRED: () => 'Your queue pass has ended. Join the queue again to keep shopping.',
    QUEUE_NOT_ADMITTED: () => 'It is not your turn yet. Please wait until the queue lets you in.',
    FORBIDDEN: () => 'That belongs to another user.',
    NOT_FOUND: () => 'That could not be found.',
    METHOD_NOT_ALLOWED: () => 'That action is not possible here.',
    CONCERT_NOT_FOUND: () => 'That concert does not exist (any more).',
    SCHEDULE_NOT_FOUND: () => 'That date does not exist (any more).',
    RESERVATION_NOT_FOUND: () => 'That reservation could not be found.',
    PAYMENT_NOT_FOUND: () => 'That payment could not be found.',
    SEAT_UNAVAILABLE: (p) => `Sorry, someone else got there first${seatList(p.body.seatNos)}. The seat map has been updated: choose other seats.`,
    RESERVATION_LIMIT: () => 'You already hold seats with this queue pass. Pay for them or release them before choosing others.',
    SCHEDULE_CLOSED: () => 'This date has already started: tickets are no longer sold for it.',
    RESERVATION_EXPIRED: () => 'Your hold ran out before the payment arrived, so the seats went back on sale. Choose seats again.',
    RESERVATION_NOT_PENDING: () => 'These seats are no longer waiting for payment (released or already settled).',
    ALREADY_PAID: () => 'These seats are already paid for.',
    INSUFFICIENT_BALANCE: () => 'Your balance is too low for this payment. Add money to your balance, then pay again.',
    BALANCE_LIMIT_EXCEEDED: () => 'A balance can hold at most 100,000,000 won. Add a smaller amount.',
    IDEMPOTENCY_IN_PROGRESS: () => 'Your previous attempt is still being processed. Wait a moment, then try again.',
    IDEMPOTENCY_KEY_REUSED: () => 'That request clashed with an earlier one. Try again.',
    PAYLOAD_TOO_LARGE: () => 'That request was too large.',
    URI_TOO_LONG: () => 'That address was too long.',
    HEADERS_TOO_LARGE: () => 'That request was too large.',
    MALFORMED_REQUEST: () => 'That request was not understood.',
    UNSUPPORTED_MEDIA_TYPE: () => 'That request was not understood.',
    RATE_LIMITED: (p) => `Too many requests at once. Try again in ${p.retryAfter || 1} s.`,
    SERVICE_UNAVAILABLE: (p) => `Part of the service is briefly unavailable. Try again in ${p.retryAfter || 1} s.`,
    INTERNAL_ERROR: () => 'Something went wrong on our side. Try again in a moment.',
    NETWORK: () => 'The server could not be reached. Check your connection and try again.',
};

/** Plain words for a Problem (see api.js). */
export function describe(problem) {
    const message = MESSAGES[problem.code];
    if (message) {
        return message(problem);
    }
    return problem.detail ? `Sorry, that did not work: ${problem.detail}` : 'Sorry, that did not work.';
}

export const KNOWN_CODES = Object.keys(MESSAGES);
