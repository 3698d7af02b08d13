// Idempotency keys: one fresh random key per user action, reused when that same action is retried,
// so a repeated click or a network retry never charges or refunds twice.

/** A fresh key of 128 random bits in hex, after an optional prefix (the checkout's "chk_"). */
export function newIdempotencyKey(prefix = ''): string {
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
