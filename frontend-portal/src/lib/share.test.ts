import { beforeAll, describe, expect, it } from 'vitest';
import { setCurrencies } from '@shared/money';
import { linkMessage, payerMessage, shareLinks } from './share';

beforeAll(() => setCurrencies([{ code: 'RSD', exponent: 2, name: 'Serbian dinar' }]));

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

describe('payerMessage', () => {
  const v = { name: 'Ana Anić', amount: 275050, currency: 'RSD', merchant: 'Pekara Mika', url: 'http://x/pay/tok_Ab1' };
  it('speaks the payer’s language, not the portal’s', () => {
    expect(payerMessage('en', v).message).toMatch(/^Hello Ana Anić, you can pay RSD\s2,750\.50 to Pekara Mika here: http:\/\/x\/pay\/tok_Ab1$/);
    expect(payerMessage('sr-Latn', v).message).toMatch(/^Dobar dan, Ana Anić! Iznos od 2\.750,50\sRSD za Pekara Mika možete platiti ovde: http:\/\/x\/pay\/tok_Ab1$/);
    const cyr = payerMessage('sr-Cyrl', v);
    expect(cyr.message).toMatch(/^Добар дан, Ana Anić! Износ од 2\.750,50\sRSD за Pekara Mika можете платити овде: http:\/\/x\/pay\/tok_Ab1$/);
    expect(cyr.subject).toBe('Захтев за плаћање – Pekara Mika');
  });
  it('does not address the payer by gender', () => {
    for (const l of ['sr-Latn', 'sr-Cyrl'] as const) expect(payerMessage(l, v).message).not.toMatch(/Poštovan|Поштован/);
  });
});

describe('linkMessage', () => {
  const v = { title: 'Čas joge', merchant: 'Studio Ana', url: 'http://x/pay/l/tok_Ab1' };
  it('names the link and the shop in the link’s language, keeping names in their own script', () => {
    expect(linkMessage('en', v).message).toBe('Čas joge from Studio Ana: you can pay here: http://x/pay/l/tok_Ab1');
    expect(linkMessage('sr-Latn', v).message).toBe('Čas joge – Studio Ana. Platiti možete ovde: http://x/pay/l/tok_Ab1');
    expect(linkMessage('sr-Cyrl', v).message).toBe('Čas joge – Studio Ana. Платити можете овде: http://x/pay/l/tok_Ab1');
    expect(linkMessage('sr-Cyrl', v).subject).toBe('Čas joge – Studio Ana');
  });
});
