import { describe, expect, it } from 'vitest';
import { en } from './en';
import { cyrillic, interpolate } from './index.svelte';
import { srLatn } from './sr-latn';
import { latinToCyrillic } from '@shared/translit';

const dictionaries = { en, 'sr-Latn': srLatn, 'sr-Cyrl': cyrillic(srLatn) };

const placeholders = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  for (const [locale, dict] of Object.entries(dictionaries)) {
    it(`${locale} has every key, none empty, with the same placeholders as English`, () => {
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(dict)) {
        expect(value, key).not.toBe('');
        expect(placeholders(value), key).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('Serbian Cyrillic has no Latin letters outside placeholders and kept names', () => {
    const kept = /\{[a-z_]+\}|[sp]k_(?:test|live)_|whsec_|CSV|API|QR|SMTP_URL|SMTP|PNG|SVG|CVC|SMS|PSP|URL|ID|REST|WhatsApp|Viber|SecureLink|Webhook|webhook-id|HTTPS|HTTP|HTML|https?:\/\/\S*|localhost|3-D Secure|Srpski \(latinica\)|Srpski|English/g;
    for (const [key, value] of Object.entries(dictionaries['sr-Cyrl'])) {
      expect(value.replace(kept, ''), key).not.toMatch(/[A-Za-zČĆŽŠĐčćžšđ]/);
    }
  });

  it('Serbian Latin is really translated', () => {
    // Only names, codes and symbols may be equal in both languages; each language's own name is one.
    const same = Object.keys(en).filter(
      (k) => !k.startsWith('locale.') && dictionaries['sr-Latn'][k as keyof typeof en] === en[k as keyof typeof en],
    );
    expect(same.length).toBeLessThan(20);
  });
});

// Serbian that reads right: no sentence may depend on the gender of the shop, the payer or the merchant's
// user, and an invoice is "račun" everywhere, never "faktura".
describe('Serbian wording', () => {
  const serbian = { 'sr-Latn': srLatn, 'sr-Cyrl': cyrillic(srLatn) };
  // Slash forms (vratio/la, Poštovani/a), a greeting that needs a gender, l- and passive participles
  // with "ste" (Pozvani ste, Odjavili ste) and the verbs of a sentence about who paid or did something.
  const gendered = [
    /\p{L}\/(a|la|le|li|lo|o|e|а|ла|ле|ли|ло|о|е)(?!\p{L})/iu,
    /(^|[^\p{L}])(Poštovan|Поштован)/iu,
    /\p{L}+(li|ni|ti|ли|ни|ти)\s+(ste|сте)(?!\p{L})/iu,
    /(^|[^\p{L}])(ste|сте)\s+\p{L}+(li|ni|ла|ли|ни|la)(?!\p{L})/iu,
    /(^|[^\p{L}])(izvršio|izvršila|platio|platila|primio|primila|poslao|poslala|vratio|vratila|naplatio|naplatila|poništio|poništila|извршио|платио|примио|послао|вратио|наплатио|поништио)(?!\p{L})/iu,
  ];
  for (const [locale, dict] of Object.entries(serbian)) {
    it(`${locale} never depends on a gender`, () => {
      for (const [key, value] of Object.entries(dict)) {
        for (const re of gendered) expect(value, `${key}: ${value}`).not.toMatch(re);
      }
    });
    it(`${locale} calls an invoice "račun", never "faktura"`, () => {
      for (const [key, value] of Object.entries(dict)) expect(value, key).not.toMatch(/faktur|фактур/i);
      expect(dict['nav.new_invoice']).toMatch(/račun|рачун/);
    });
  }
  for (const [locale, dict] of Object.entries(serbian)) {
    it(`${locale} calls the merchant's invoice "račun", never "porudžbina", with statuses that agree`, () => {
      for (const [key, value] of Object.entries(dict)) expect(value, key).not.toMatch(/porudžbin|porudzbin|поруџбин/i);
      expect(dict['nav.invoices']).toMatch(/^(Računi|Рачуни)$/);
      expect(dict['list.title']).toMatch(/^(Računi|Рачуни)$/);
      expect(dict['detail.title']).toMatch(/^(Račun|Рачун) \{number\}$/);
      // "račun" is masculine: an invoice's status is "Plaćen", "Istekao", never "Plaćena", "Istekla".
      const statuses = Object.keys(dict).filter((k) => k.startsWith('status.') || k === 'detail.expired_at');
      expect(statuses.length).toBeGreaterThan(10);
      for (const key of statuses) expect(dict[key as keyof typeof en], key).not.toMatch(/[aа]$/);
    });
  }
  it('English calls the merchant\'s invoice an invoice, never an order', () => {
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toMatch(/\border/i);
    for (const key of ['nav.invoices', 'list.title', 'dash.by_status', 'dash.recent', 'plink.orders'] as const) {
      expect(en[key], key).toMatch(/Invoices|invoices/);
    }
  });
  it('English says invoice for the document', () => {
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toMatch(/\bbill\b/i);
    expect(en['nav.new_invoice']).toBe('New invoice');
  });
  it('the gender checks catch the forms they are for', () => {
    for (const bad of ['Trgovac vam je vratio/la novac', 'Poštovani Ana', 'Pozvani ste', 'Odjavili ste se.', 'Izvršio']) {
      expect(gendered.some((re) => re.test(bad)), bad).toBe(true);
    }
    for (const good of ['Ovaj poziv daje pristup nalogu', 'Odjava je uspela.', 'Dobar dan, Ana!', 'E-pošta/lozinka']) {
      expect(gendered.some((re) => re.test(good)), good).toBe(false);
    }
  });
});

describe('latinToCyrillic', () => {
  const cases: [string, string][] = [
    ['Ljubljana Njegoš džep', 'Љубљана Његош џеп'],
    ['LJUBAV', 'ЉУБАВ'],
    ['Đorđe Ćirić, čaša, žaba', 'Ђорђе Ћирић, чаша, жаба'],
    ['Plaćeno {count} puta', 'Плаћено {count} пута'],
    ['Izvezi CSV preko API ključa', 'Извези CSV преко API кључа'],
    ['Čeka 3-D Secure', 'Чека 3-D Secure'],
    ['Isti webhook-id, HTTP status i HTML verzija', 'Исти webhook-id, HTTP статус и HTML верзија'],
    ['Ključ (sk_live_… ili pk_test_…), tajna whsec_…', 'Кључ (sk_live_… или pk_test_…), тајна whsec_…'],
  ];
  for (const [latin, cyr] of cases) {
    it(latin, () => expect(latinToCyrillic(latin)).toBe(cyr));
  }
});

describe('interpolate', () => {
  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
