import { describe, expect, it } from 'vitest';
import { pluralForm } from './plural';
import { latinToCyrillic } from './translit';

describe('pluralForm', () => {
  it.each([
    ['sr-Latn-RS', 1, 'one'],
    ['sr-Latn-RS', 3, 'few'],
    ['sr-Cyrl-RS', 11, 'other'],
    ['en-GB', 2, 'other'],
  ])('%s %i is %s', (locale, n, form) => expect(pluralForm(locale, n)).toBe(form));
});

describe('latinToCyrillic', () => {
  it('maps digraphs as one letter and keeps placeholders and product names', () => {
    expect(latinToCyrillic('Ljubljana, Njegoš, džep')).toBe('Љубљана, Његош, џеп');
    expect(latinToCyrillic('Plati {amount} preko SecureLink')).toBe('Плати {amount} преко SecureLink');
  });
  it('keeps a bare https:// prefix in Latin, as an address must be typed', () => {
    expect(latinToCyrillic('https:// adresa na vašem sajtu')).toBe('https:// адреса на вашем сајту');
    expect(latinToCyrillic('Unesite https:// adresu (http:// samo za localhost).')).toBe('Унесите https:// адресу (http:// само за localhost).');
  });
});
