// Invoice line arithmetic for the new-invoice form's running totals; the server computes the real ones.

/** A line's total: quantity × unit amount, both integers. */
export function lineTotal(quantity: number, unitAmount: number): number {
  return Number(BigInt(Math.trunc(quantity)) * BigInt(Math.trunc(unitAmount)));
}

/** The VAT inside a VAT-inclusive amount at a whole-percent rate, rounded half up to a minor unit. */
export function includedVat(total: number, ratePercent: number): number {
  if (ratePercent <= 0) return 0;
  const t = BigInt(total) * BigInt(Math.round(ratePercent * 100));
  const d = BigInt(10000 + Math.round(ratePercent * 100));
  return Number((t * 2n + d) / (2n * d));
}
