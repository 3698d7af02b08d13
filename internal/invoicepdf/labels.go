package invoicepdf

// labels are the words of the invoice document per locale; Serbian Cyrillic is its own column
// rather than transliterated, so that each reads as written.
var labels = map[string]map[string]string{
	"en": {
		"test_mode": "TEST MODE: no real money moves", "title": "Invoice", "seller": "Seller", "buyer": "Buyer", "pib": "Tax ID (PIB)", "mb": "Company no. (MB)",
		"issued": "Issued", "due": "Due date", "reference": "Your reference", "description": "Description", "qty": "Qty",
		"unit": "Unit price", "vat": "VAT", "amount": "Amount", "vat_summary": "VAT by rate", "base": "Base",
		"total": "Total", "paid": "Paid", "due_amount": "Left to pay", "pay_online": "Pay online by card",
		"ips": "Bank transfer", "ips_hint": "Scan the IPS QR code in your mobile-banking app, or fill in a payment slip:",
		"payee": "Payee", "account": "Account", "payment_code": "Payment code", "purpose": "Purpose",
		"model_ref": "Model and reference", "status_paid": "PAID", "prices_incl": "Prices include VAT.",
	},
	"sr-Latn": {
		"test_mode": "TEST REŽIM: pravi novac se ne prenosi", "title": "Račun", "seller": "Prodavac", "buyer": "Kupac", "pib": "PIB", "mb": "Matični broj",
		"issued": "Datum izdavanja", "due": "Rok plaćanja", "reference": "Vaša referenca", "description": "Opis", "qty": "Kol.",
		"unit": "Cena", "vat": "PDV", "amount": "Iznos", "vat_summary": "PDV po stopama", "base": "Osnovica",
		"total": "Ukupno", "paid": "Plaćeno", "due_amount": "Preostalo za plaćanje", "pay_online": "Plaćanje karticom preko linka",
		"ips": "Uplata preko banke", "ips_hint": "Skenirajte IPS QR kod u aplikaciji mobilnog bankarstva ili popunite nalog za uplatu:",
		"payee": "Primalac", "account": "Račun primaoca", "payment_code": "Šifra plaćanja", "purpose": "Svrha uplate",
		"model_ref": "Model i poziv na broj", "status_paid": "PLAĆENO", "prices_incl": "Cene sadrže PDV.",
	},
	"sr-Cyrl": {
		"test_mode": "ТЕСТ РЕЖИМ: прави новац се не преноси", "title": "Рачун", "seller": "Продавац", "buyer": "Купац", "pib": "ПИБ", "mb": "Матични број",
		"issued": "Датум издавања", "due": "Рок плаћања", "reference": "Ваша референца", "description": "Опис", "qty": "Кол.",
		"unit": "Цена", "vat": "ПДВ", "amount": "Износ", "vat_summary": "ПДВ по стопама", "base": "Основица",
		"total": "Укупно", "paid": "Плаћено", "due_amount": "Преостало за плаћање", "pay_online": "Плаћање картицом преко линка",
		"ips": "Уплата преко банке", "ips_hint": "Скенирајте IPS QR код у апликацији мобилног банкарства или попуните налог за уплату:",
		"payee": "Прималац", "account": "Рачун примаоца", "payment_code": "Шифра плаћања", "purpose": "Сврха уплате",
		"model_ref": "Модел и позив на број", "status_paid": "ПЛАЋЕНО", "prices_incl": "Цене садрже ПДВ.",
	},
}
