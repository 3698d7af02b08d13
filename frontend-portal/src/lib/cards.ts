// Card brands as people write them.
const brandNames: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  dinacard: 'DinaCard',
  maestro: 'Maestro',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
};

export function brandName(brand: string | undefined | null): string {
  if (!brand) return '';
  return brandNames[brand.toLowerCase()] ?? brand;
}
