package mail

import (
	"maps"
	"strings"

	"securelink/internal/domain"
)

// catalog holds every sentence of the e-mails per locale; {name} placeholders are filled by tr.
var catalog = map[string]map[string]string{
	domain.LocaleEn: {
		"subject.payment_link":   "Payment request {number} from {merchant}",
		"subject.receipt":        "Receipt for {number} – {merchant}",
		"subject.receipt_copy":   "Payment received: {number}, {amount}",
		"subject.refund":         "Refund for {number} – {merchant}",
		"subject.capture_notice": "Payment captured for {number} – {merchant}",
		"subject.void_notice":    "Authorisation released for {number} – {merchant}",
		"greeting":               "Hello {customer},",
		"greeting.merchant":      "Hello,",
		"intro.payment_link":     "{merchant} has sent you a payment request for {amount}. You can pay securely by card through the link below.",
		"intro.receipt":          "Thank you for your payment of {amount} to {merchant}. This is your receipt.",
		"intro.receipt_copy":     "{customer} has paid invoice {number}: {amount}.",
		"intro.refund":           "{merchant} has refunded {amount} to your card. Depending on your bank, it may take a few days to appear on your statement.",
		"intro.capture_notice":   "{merchant} has captured {amount} of the amount reserved on your card.",
		"intro.void_notice":      "{merchant} has released the reservation of {amount} on your card. You will not be charged for it.",
		"label.invoice":          "Invoice",
		"label.reference":        "Reference",
		"label.description":      "Description",
		"label.item":             "Item",
		"label.quantity":         "Qty",
		"label.unit_price":       "Unit price",
		"label.amount":           "Amount",
		"label.total":            "Total",
		"label.card":             "Card",
		"label.paid_by":          "Paid by",
		"method.bank_transfer":   "Bank transfer",
		"label.customer":         "Customer",
		"label.paid":             "Amount paid",
		"label.refunded":         "Refunded",
		"label.captured":         "Captured",
		"label.released":         "Released",
		"subject.authorization":  "Card authorised for {number} – {merchant}",
		"intro.authorization":    "Your card has been authorised for {amount} for {merchant}. The amount is reserved, not yet charged: you are charged when {merchant} confirms the purchase, and a reservation that is not confirmed is released.",
		"label.reserved":         "Reserved",
		"button.pay":             "Pay {amount}",
		"link_hint":              "If the button does not work, copy this address into your browser:",
		"valid_until":            "The link is valid until {date}",
		"support":                "Questions? Write to {email}.",
		"footer":                 "Sent by SecureLink on behalf of {merchant}. We never ask for your card number by e-mail.",
		"receipt_pdf":            "Download the receipt (PDF)",
		"subject.test":           "[TEST]",
		"test_note":              "Test mode: no real money moves. This e-mail is about test data.",
	},
	domain.LocaleSrLatn: {
		"subject.payment_link":   "Zahtev za plaćanje {number} – {merchant}",
		"subject.receipt":        "Potvrda o plaćanju {number} – {merchant}",
		"subject.receipt_copy":   "Primljena uplata: {number}, {amount}",
		"subject.refund":         "Povraćaj novca za {number} – {merchant}",
		"subject.capture_notice": "Naplata izvršena za {number} – {merchant}",
		"subject.void_notice":    "Rezervacija poništena za {number} – {merchant}",
		"greeting":               "Dobar dan, {customer},",
		"greeting.merchant":      "Dobar dan,",
		"intro.payment_link":     "{merchant} vam šalje zahtev za plaćanje iznosa od {amount}. Možete bezbedno platiti karticom preko linka ispod.",
		"intro.receipt":          "Hvala na uplati od {amount} trgovcu {merchant}. Ovo je vaša potvrda o plaćanju.",
		"intro.receipt_copy":     "Račun {number} je plaćen: {amount}. Platilac: {customer}.",
		"intro.refund":           "Na vašu karticu je vraćeno {amount} za račun {number} (prodavac: {merchant}). U zavisnosti od banke, povraćaj može biti vidljiv na izvodu tek za nekoliko dana.",
		"intro.capture_notice":   "Od iznosa rezervisanog na vašoj kartici naplaćeno je {amount} (prodavac: {merchant}).",
		"intro.void_notice":      "Rezervacija od {amount} na vašoj kartici je poništena (prodavac: {merchant}). Taj iznos vam neće biti naplaćen.",
		"label.invoice":          "Račun",
		"label.reference":        "Referenca",
		"label.description":      "Opis",
		"label.item":             "Stavka",
		"label.quantity":         "Kol.",
		"label.unit_price":       "Cena",
		"label.amount":           "Iznos",
		"label.total":            "Ukupno",
		"label.card":             "Kartica",
		"label.paid_by":          "Način plaćanja",
		"method.bank_transfer":   "Uplata preko banke",
		"label.customer":         "Kupac",
		"label.paid":             "Plaćeno",
		"label.refunded":         "Vraćeno",
		"label.captured":         "Naplaćeno",
		"label.released":         "Poništeno",
		"subject.authorization":  "Kartica autorizovana za {number} – {merchant}",
		"intro.authorization":    "Na vašoj kartici je rezervisano {amount} za {merchant}. Iznos još nije naplaćen: naplata sledi kada {merchant} potvrdi kupovinu, a nepotvrđena rezervacija se poništava.",
		"label.reserved":         "Rezervisano",
		"button.pay":             "Plati {amount}",
		"link_hint":              "Ako dugme ne radi, kopirajte ovu adresu u pregledač:",
		"valid_until":            "Link važi do {date}",
		"support":                "Pitanja? Pišite na {email}.",
		"footer":                 "Poslato preko servisa SecureLink u ime trgovca {merchant}. Nikada ne tražimo broj kartice putem e-pošte.",
		"receipt_pdf":            "Preuzmite potvrdu o plaćanju (PDF)",
		"subject.test":           "[TEST]",
		"test_note":              "Test režim: pravi novac se ne prenosi. Ova poruka se odnosi na probne podatke.",
	},
	domain.LocaleSrCyrl: {
		"subject.payment_link":   "Захтев за плаћање {number} – {merchant}",
		"subject.receipt":        "Потврда о плаћању {number} – {merchant}",
		"subject.receipt_copy":   "Примљена уплата: {number}, {amount}",
		"subject.refund":         "Повраћај новца за {number} – {merchant}",
		"subject.capture_notice": "Наплата извршена за {number} – {merchant}",
		"subject.void_notice":    "Резервација поништена за {number} – {merchant}",
		"greeting":               "Добар дан, {customer},",
		"greeting.merchant":      "Добар дан,",
		"intro.payment_link":     "{merchant} вам шаље захтев за плаћање износа од {amount}. Можете безбедно платити картицом преко линка испод.",
		"intro.receipt":          "Хвала на уплати од {amount} трговцу {merchant}. Ово је ваша потврда о плаћању.",
		"intro.receipt_copy":     "Рачун {number} је плаћен: {amount}. Платилац: {customer}.",
		"intro.refund":           "На вашу картицу је враћено {amount} за рачун {number} (продавац: {merchant}). У зависности од банке, повраћај може бити видљив на изводу тек за неколико дана.",
		"intro.capture_notice":   "Од износа резервисаног на вашој картици наплаћено је {amount} (продавац: {merchant}).",
		"intro.void_notice":      "Резервација од {amount} на вашој картици је поништена (продавац: {merchant}). Тај износ вам неће бити наплаћен.",
		"label.invoice":          "Рачун",
		"label.reference":        "Референца",
		"label.description":      "Опис",
		"label.item":             "Ставка",
		"label.quantity":         "Кол.",
		"label.unit_price":       "Цена",
		"label.amount":           "Износ",
		"label.total":            "Укупно",
		"label.card":             "Картица",
		"label.paid_by":          "Начин плаћања",
		"method.bank_transfer":   "Уплата преко банке",
		"label.customer":         "Купац",
		"label.paid":             "Плаћено",
		"label.refunded":         "Враћено",
		"label.captured":         "Наплаћено",
		"label.released":         "Поништено",
		"subject.authorization":  "Картица ауторизована за {number} – {merchant}",
		"intro.authorization":    "На вашој картици је резервисано {amount} за {merchant}. Износ још није наплаћен: наплата следи када {merchant} потврди куповину, а непотврђена резервација се поништава.",
		"label.reserved":         "Резервисано",
		"button.pay":             "Плати {amount}",
		"link_hint":              "Ако дугме не ради, копирајте ову адресу у прегледач:",
		"valid_until":            "Линк важи до {date}",
		"support":                "Питања? Пишите на {email}.",
		"footer":                 "Послато преко сервиса SecureLink у име трговца {merchant}. Никада не тражимо број картице путем е-поште.",
		"receipt_pdf":            "Преузмите потврду о плаћању (PDF)",
		"subject.test":           "[TEST]",
		"test_note":              "Тест режим: прави новац се не преноси. Ова порука се односи на пробне податке.",
	},
}

// tr returns the sentence key of locale with its placeholders filled from vars; an unknown locale
// reads as English and a missing key as the key itself, so a gap shows instead of failing a send.
func tr(locale, key string, vars map[string]string) string {
	msgs, ok := catalog[locale]
	if !ok {
		msgs = catalog[domain.LocaleEn]
	}
	s, ok := msgs[key]
	if !ok {
		s = key
	}
	return fill(s, vars)
}

// fill puts each "{name}" of vars into s; a brace that opens no known name stays as it is. (Building
// a strings.Replacer for every sentence was most of the time rendering an e-mail took.)
func fill(s string, vars map[string]string) string {
	open := strings.IndexByte(s, '{')
	if open < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	for open >= 0 {
		b.WriteString(s[:open])
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			s = s[open:]
			break
		}
		if v, ok := vars[s[open+1:open+end]]; ok {
			b.WriteString(v)
			s = s[open+end+1:]
		} else {
			b.WriteByte('{')
			s = s[open+1:]
		}
		open = strings.IndexByte(s, '{')
	}
	b.WriteString(s)
	return b.String()
}

// accountCatalog holds the sentences of the e-mails about a portal account (the password reset); they
// join the catalogue at start-up, so every locale has them like every other sentence.
var accountCatalog = map[string]map[string]string{
	domain.LocaleEn: {
		"subject.password_reset": "Set a new password for the SecureLink portal",
		"greeting.user":          "Hello {customer},",
		"intro.password_reset":   "Someone, probably you, asked to set a new password for your account in the SecureLink portal of {merchant}.",
		"button.password_reset":  "Set a new password",
		"password_reset.valid":   "The link works once, for one hour.",
		"password_reset.ignore":  "If you did not ask for this, ignore this e-mail: your password stays as it is.",
		"footer.account":         "Sent by SecureLink. We never ask for your password by e-mail.",
	},
	domain.LocaleSrLatn: {
		"subject.password_reset": "Nova lozinka za SecureLink portal",
		"greeting.user":          "Zdravo, {customer},",
		"intro.password_reset":   "Stigao je zahtev za novu lozinku vašeg naloga u SecureLink portalu (trgovac: {merchant}).",
		"button.password_reset":  "Postavite novu lozinku",
		"password_reset.valid":   "Link se može upotrebiti jednom, u roku od sat vremena.",
		"password_reset.ignore":  "Ako zahtev nije vaš, zanemarite ovu poruku: lozinka ostaje ista.",
		"footer.account":         "Poslato preko servisa SecureLink. Nikada ne tražimo lozinku putem e-pošte.",
	},
	domain.LocaleSrCyrl: {
		"subject.password_reset": "Нова лозинка за SecureLink портал",
		"greeting.user":          "Здраво, {customer},",
		"intro.password_reset":   "Стигао је захтев за нову лозинку вашег налога у SecureLink порталу (трговац: {merchant}).",
		"button.password_reset":  "Поставите нову лозинку",
		"password_reset.valid":   "Линк се може употребити једном, у року од сат времена.",
		"password_reset.ignore":  "Ако захтев није ваш, занемарите ову поруку: лозинка остаје иста.",
		"footer.account":         "Послато преко сервиса SecureLink. Никада не тражимо лозинку путем е-поште.",
	},
}

// reminderCatalog holds the sentences of the reminder of an unpaid invoice.
var reminderCatalog = map[string]map[string]string{
	domain.LocaleEn: {
		"subject.reminder": "Reminder: payment request {number} from {merchant}",
		"intro.reminder":   "A friendly reminder: invoice {number} from {merchant} for {amount} is still unpaid. You can pay securely by card through the link below.",
	},
	domain.LocaleSrLatn: {
		"subject.reminder": "Podsetnik: zahtev za plaćanje {number} – {merchant}",
		"intro.reminder":   "Podsećamo vas da račun {number} na iznos od {amount} (prodavac: {merchant}) još nije plaćen. Možete bezbedno platiti karticom preko linka ispod.",
	},
	domain.LocaleSrCyrl: {
		"subject.reminder": "Подсетник: захтев за плаћање {number} – {merchant}",
		"intro.reminder":   "Подсећамо вас да рачун {number} на износ од {amount} (продавац: {merchant}) још није плаћен. Можете безбедно платити картицом преко линка испод.",
	},
}

func init() {
	for _, extra := range []map[string]map[string]string{accountCatalog, reminderCatalog} {
		for loc, msgs := range extra {
			maps.Copy(catalog[loc], msgs)
		}
	}
}
