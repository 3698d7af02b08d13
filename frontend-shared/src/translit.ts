// Serbian is written in two scripts with a one-to-one letter mapping, so the Cyrillic dictionary is derived
// from the Latin one; brand names, acronyms and {placeholders} stay as they are.

const digraphs: Record<string, string> = {
  Lj: 'Љ', LJ: 'Љ', lj: 'љ',
  Nj: 'Њ', NJ: 'Њ', nj: 'њ',
  Dž: 'Џ', DŽ: 'Џ', dž: 'џ',
};

const letters: Record<string, string> = {
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј',
  k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
  A: 'А', B: 'Б', C: 'Ц', Č: 'Ч', Ć: 'Ћ', D: 'Д', Đ: 'Ђ', E: 'Е', F: 'Ф', G: 'Г', H: 'Х', I: 'И', J: 'Ј',
  K: 'К', L: 'Л', M: 'М', N: 'Н', O: 'О', P: 'П', R: 'Р', S: 'С', Š: 'Ш', T: 'Т', U: 'У', V: 'В', Z: 'З', Ž: 'Ж',
};

// Words kept in Latin script: placeholders, acronyms of foreign terms and product names.
const keep = /(\{[a-z0-9_]+\}|\b(?:CSV|API|QR|SMS|SMTP_URL|SMTP|PNG|SVG|PSP|URL|CVC|ID|REST|WhatsApp|Viber|SecureLink|Webhook|webhook-id|HTTPS?|HTML|JSON|ISO|3-D Secure|[sp]k_(?:test|live)_\w*|whsec_\w*)\b|https?:\/\/\S+)/;

function convert(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (digraphs[pair]) {
      out += digraphs[pair];
      i++;
    } else {
      out += letters[text[i]] ?? text[i];
    }
  }
  return out;
}

/** Transliterates Serbian Latin text to Serbian Cyrillic. */
export function latinToCyrillic(text: string): string {
  return text
    .split(keep)
    .map((part, i) => (i % 2 === 1 ? part : convert(part)))
    .join('');
}
