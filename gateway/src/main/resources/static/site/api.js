// The public API (docs/design.md section 3) as the page uses it: JSON in, JSON out, and every
// refusal turned into a Problem carrying the stable problem+json code.

const BASE = '/api/v1';

export class Problem extends Error {
    constructor(status, code, detail, retryAfter, body) {
        super(detail || code);
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfter = retryAfter; // seconds, or null
        this.body = body || {};
    }
}

/** Seconds from a Retry-After header: a number of seconds or an HTTP date; null when absent. */
export function retryAfterSeconds(value) {
    if (!value) {
        return null;
    }
    if (/^\d+$/.test(value.trim())) {
        return Number(value.trim());
    }
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context; this does not). */
export function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One request; resolves to {status, body, retryAfter} on 2xx, rejects with a Problem otherwise. */
export async function call(method, path, {token, body, idempotencyKey} = {}) {
    const headers = {Accept: 'application/json, application/problem+json'};
    if (token) {
        headers['Queue-Token'] = token;
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (idempotencyKey) {
        headers['Idempotency-Key'] = idempotencyKey;
    }
    let response;
    try {
        response = await fetch(BASE + path, {
            method, headers, cache: 'no-store',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    } catch (unreachable) {
        throw new Problem(0, 'NETWORK', 'The server could not be reached.', null);
    }
    const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
    const text = await response.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch (notJson) {
        json = null;
    }
    if (!response.ok) {
        throw new Problem(response.status, json?.code || `HTTP_${response.status}`,
            json?.detail || response.statusText, retryAfter, json);
    }
    return {status: response.status, body: json, retryAfter};
}
