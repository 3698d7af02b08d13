import { describe, expect, it } from 'vitest';
import { chooseLang, LangSwitch, LANGS, LOADERS, matchLang, translate, type Dictionary, type Lang } from './i18n';
import { en } from './messages-en';
import { srLatn } from './messages-sr-latn';
import { srCyrl } from './messages-sr-cyrl';

const DICTIONARIES: Record<(typeof LANGS)[number], Dictionary> = { 'sr-Latn': srLatn, 'sr-Cyrl': srCyrl, en };
import { declineMessageKey } from './declines';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const keys = Object.keys(en).sort();

  it.each(LANGS)('%s has exactly the English keys', (lang) => {
    expect(Object.keys(DICTIONARIES[lang]).sort()).toEqual(keys);
  });

  it.each(LANGS)('%s has no empty text and the same placeholders as English', (lang) => {
    for (const key of keys) {
      const text = DICTIONARIES[lang][key as keyof typeof en];
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it('writes Serbian Cyrillic texts without Serbian Latin letters', () => {
    for (const [key, text] of Object.entries(DICTIONARIES['sr-Cyrl'])) {
      // Placeholders and the few names kept in Latin script aside, nothing Latin remains.
      const rest = text.replace(/\{\w+\}|SecureLink|CVC|3-D Secure|IPS QR|IPS|QR|PDF/g, '');
      expect(rest, key).not.toMatch(/[A-Za-zčćžšđČĆŽŠĐ]/);
    }
  });
});

// One word for the merchant's invoice: "račun" in Serbian and "invoice" in English, never an order;
// the payer confirms a purchase, and where IPS speaks of the payer's own account it is "račun u banci".
describe('the invoice is called an invoice', () => {
  it.each(['sr-Latn', 'sr-Cyrl'] as const)('%s never says "porudžbina"', (lang) => {
    for (const [key, text] of Object.entries(DICTIONARIES[lang])) expect(text, key).not.toMatch(/porudžbin|porudzbin|поруџбин/i);
    expect(DICTIONARIES[lang]['card.manualCapture']).toMatch(/potvrdi kupovinu|потврди куповину/);
    expect(DICTIONARIES[lang]['authorized.text']).toMatch(/potvrdi kupovinu|потврди куповину/);
  });

  it('English never calls the invoice an order (a bank\'s "payment order" form aside)', () => {
    for (const [key, text] of Object.entries(en)) expect(text.replace(/payment order/g, ''), key).not.toMatch(/\border/i);
    expect(en['card.manualCapture']).toContain('confirms the purchase');
  });

  it('IPS names the payer\'s bank account so that it is not the invoice', () => {
    for (const [key, text] of Object.entries(srLatn)) {
      if (key.startsWith('ips.') && /svog računa/.test(text)) expect(text, key).toMatch(/svog računa u banci/);
    }
    expect(srLatn['ips.intro']).toContain('računa u banci');
    expect(srCyrl['ips.intro']).toContain('рачуна у банци');
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'card.pay', { amount: '10 RSD' })).toBe('Pay 10 RSD');
    expect(translate(srLatn, 'card.pay', { amount: '10 RSD' })).toBe('Plati 10 RSD');
    expect(translate(srCyrl, 'card.pay', { amount: '10 RSD' })).toBe('Плати 10 RSD');
  });

  it('leaves unknown placeholders and gives nothing before a dictionary is loaded', () => {
    expect(translate(en, 'card.pay')).toBe('Pay {amount}');
    expect(translate(null, 'card.pay', { amount: '1' })).toBe('');
  });
});

describe('LOADERS', () => {
  it.each(LANGS)('loads the %s dictionary', async (lang) => {
    expect(await LOADERS[lang]()).toBe(DICTIONARIES[lang]);
  });
});

describe('language choice', () => {
  it.each([
    ['sr-Latn', 'sr-Latn'],
    ['sr-Cyrl', 'sr-Cyrl'],
    ['sr', 'sr-Cyrl'],
    ['sr-RS', 'sr-Cyrl'],
    ['sr-Latn-RS', 'sr-Latn'],
    ['sr_Latn', 'sr-Latn'],
    ['hr-HR', 'sr-Latn'],
    ['en-US', 'en'],
    ['de-DE', null],
    ['', null],
  ])('matchLang(%s) → %s', (tag, want) => {
    expect(matchLang(tag)).toBe(want);
  });

  it('prefers the payer’s own choice, then the invoice, then the browser', () => {
    expect(chooseLang('en', 'sr-Latn', ['sr'])).toBe('en');
    expect(chooseLang(null, 'sr-Latn', ['en-US'])).toBe('sr-Latn');
    expect(chooseLang(null, undefined, ['de-DE', 'sr-RS'])).toBe('sr-Cyrl');
    expect(chooseLang('bogus', undefined, ['de-DE'])).toBe('en');
  });
});

describe('declineMessageKey', () => {
  it.each([
    ['card_declined', 'declined.card_declined'],
    ['insufficient_funds', 'declined.insufficient_funds'],
    ['expired_card', 'declined.expired_card'],
    ['incorrect_cvc', 'declined.incorrect_cvc'],
    ['processing_error', 'declined.processing_error'],
    ['authentication_failed', 'declined.authentication_failed'],
    ['stolen_card', 'declined.lost_or_stolen'],
    ['something_new', 'declined.generic'],
    [null, 'declined.generic'],
  ])('%s → %s', (code, want) => {
    expect(declineMessageKey(code)).toBe(want);
  });
});

describe('LangSwitch', () => {
  // A loader per language whose answer the test releases when it wants.
  function controlled() {
    const release: Partial<Record<Lang, () => void>> = {};
    const loaders = Object.fromEntries(
      LANGS.map((l) => [l, () => new Promise<Dictionary>((resolve) => (release[l] = () => resolve(DICTIONARIES[l])))]),
    ) as Record<Lang, () => Promise<Dictionary>>;
    return { loaders, release };
  }

  it('keeps the later choice when an earlier dictionary arrives last, and commits a language with its own texts', async () => {
    const { loaders, release } = controlled();
    const commits: [Lang, string][] = [];
    const sw = new LangSwitch(loaders, (lang, dict) => commits.push([lang, dict['app.title']]));
    const latin = sw.apply('sr-Latn');
    const cyrillic = sw.apply('sr-Cyrl');
    release['sr-Cyrl']!();
    await cyrillic;
    release['sr-Latn']!();
    await latin;
    expect(commits).toEqual([['sr-Cyrl', srCyrl['app.title']]]);
  });

  it('follows the order of choices when they arrive in order', async () => {
    const { loaders, release } = controlled();
    const commits: Lang[] = [];
    const sw = new LangSwitch(loaders, (lang, dict) => {
      // The dictionary committed is always the language's own.
      expect(dict).toBe(DICTIONARIES[lang]);
      commits.push(lang);
    });
    const a = sw.apply('en');
    release.en!();
    await a;
    const b = sw.apply('sr-Cyrl');
    release['sr-Cyrl']!();
    await b;
    expect(commits).toEqual(['en', 'sr-Cyrl']);
  });
});

describe('wording', () => {
  // No sentence may depend on the gender of the shop or the payer, and an invoice is never a "faktura".
  const gendered = /(\/la\b|\/ла|\/a |\/а |primio|примио|vratio|вратио|pročitao|прочитао|otkazao|отказао|poštovani|поштовани)/i;
  it.each(LANGS)('%s has no gendered forms and no "faktura"', (lang) => {
    for (const [key, text] of Object.entries(DICTIONARIES[lang])) {
      expect(text, `${lang} ${key}`).not.toMatch(gendered);
      expect(text, `${lang} ${key}`).not.toMatch(/faktur|фактур/i);
    }
  });
});
