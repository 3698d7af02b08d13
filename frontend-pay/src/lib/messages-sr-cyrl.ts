// Serbian (Cyrillic script) texts of the checkout: the Latin ones transliterated letter by letter,
// so the two scripts never say different things.
import { latinToCyrillic } from '@shared/translit';
import type { Dictionary, MessageKey } from './messages-en';
import { srLatn } from './messages-sr-latn';

export const srCyrl = Object.fromEntries(
  Object.entries(srLatn).map(([key, text]) => [key as MessageKey, latinToCyrillic(text)]),
) as Dictionary;
