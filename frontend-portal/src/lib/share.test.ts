import { describe, expect, it } from 'vitest';
import { shareLinks } from './share';

describe('shareLinks', () => {
  it('prefills every app with the encoded message', () => {
    const s = shareLinks('Platite ovde: http://x/pay/a?b=1&c', 'Zahtev', { phone: '+381 64 123-456', email: 'ana@example.com' });
    const encoded = encodeURIComponent('Platite ovde: http://x/pay/a?b=1&c');
    expect(s.sms).toBe(`sms:+38164123456?&body=${encoded}`);
    expect(s.whatsapp).toBe(`https://wa.me/?text=${encoded}`);
    expect(s.viber).toBe(`viber://forward?text=${encoded}`);
    expect(s.email).toBe(`mailto:ana%40example.com?subject=Zahtev&body=${encoded}`);
  });
});
