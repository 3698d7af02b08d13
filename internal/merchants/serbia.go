package merchants

import (
	"strings"

	"securelink/internal/apperr"
	"securelink/internal/domain/serbia"
	"securelink/internal/validate"
)

// applySerbia applies the Serbian fields of a patch: PIB, matični broj, the IPS QR settings and the
// PDF attachment. IPS can be enabled only with an account and a payee.
func applySerbia(m *Merchant, p MerchantPatch) error {
	var err error
	if p.PIB != nil {
		if m.PIB, err = validate.PIB("pib", *p.PIB); err != nil {
			return err
		}
	}
	if p.MB != nil {
		if m.MB, err = validate.MB("mb", *p.MB); err != nil {
			return err
		}
	}
	if p.IPSAccount != nil {
		if m.IPS.Account, err = validate.Account("ips_account", *p.IPSAccount); err != nil {
			return err
		}
	}
	if p.IPSPayee != nil {
		v := strings.TrimSpace(*p.IPSPayee)
		if v != "" {
			if err := serbia.CheckPayee(v); err != nil {
				return apperr.Invalid("ips_payee", "invalid_payee", "ips_payee is the payee's name and place, at most %d characters, without |.", serbia.MaxPayeeLen)
			}
		}
		m.IPS.Payee = v
	}
	if p.IPSPaymentCode != nil {
		v := strings.TrimSpace(*p.IPSPaymentCode)
		if !serbia.ValidTransferPaymentCode(v) {
			return apperr.Invalid("ips_payment_code", "invalid_payment_code", "ips_payment_code must be an NBS payment code for a transfer: 3 digits starting with 2, such as 221.")
		}
		m.IPS.PaymentCode = v
	}
	if p.IPSEnabled != nil {
		m.IPS.Enabled = *p.IPSEnabled
	}
	if p.EmailAttachPDF != nil {
		m.EmailAttachPDF = *p.EmailAttachPDF
	}
	if m.IPS.Enabled && (m.IPS.Account == "" || m.IPS.Payee == "") {
		param := "ips_account"
		if m.IPS.Account != "" {
			param = "ips_payee"
		}
		return apperr.Invalid(param, "ips_incomplete", "IPS QR payments need the account (ips_account) and the payee's name and place (ips_payee).")
	}
	return nil
}
