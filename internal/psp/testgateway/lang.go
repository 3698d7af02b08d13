package testgateway

import (
	"net/http"
	"strconv"
	"strings"

	"securelink/internal/domain"
)

// challengeWords are the 3-D Secure page's words in the checkout's three languages; the Cyrillic
// ones say the same as the Latin ones.
var challengeWords = map[string]map[string]string{
	domain.LocaleEn: {
		"gateway": "SecureLink test gateway", "badge": "Test mode", "title": "Confirm your payment",
		"intro":  "Your bank asks you to confirm this payment. This is a simulated 3-D Secure check: choose what the cardholder does.",
		"amount": "Amount", "card": "Card", "for": "For", "complete": "Complete authentication", "fail": "Fail authentication",
		"back": "Return to the payment page", "not_found": "Payment not found",
		"not_found_text": "There is no payment waiting for authentication at this address.",
		"finished":       "Authentication finished", "finished_text": "This payment's authentication is already finished.",
		"closed_text": "The authentication is finished. You may close this window.",
	},
	domain.LocaleSrLatn: {
		"gateway": "SecureLink test gateway", "badge": "Test režim", "title": "Potvrdite plaćanje",
		"intro":  "Vaša banka traži da potvrdite ovo plaćanje. Ovo je simulirana 3-D Secure provera: izaberite šta vlasnik kartice radi.",
		"amount": "Iznos", "card": "Kartica", "for": "Za", "complete": "Potvrdi autentifikaciju", "fail": "Odbij autentifikaciju",
		"back": "Nazad na stranicu za plaćanje", "not_found": "Plaćanje nije pronađeno",
		"not_found_text": "Na ovoj adresi nema plaćanja koje čeka autentifikaciju.",
		"finished":       "Autentifikacija je završena", "finished_text": "Autentifikacija ovog plaćanja je već završena.",
		"closed_text": "Autentifikacija je završena. Možete zatvoriti ovaj prozor.",
	},
	domain.LocaleSrCyrl: {
		"gateway": "SecureLink тест гејтвеј", "badge": "Тест режим", "title": "Потврдите плаћање",
		"intro":  "Ваша банка тражи да потврдите ово плаћање. Ово је симулирана 3-D Secure провера: изаберите шта власник картице ради.",
		"amount": "Износ", "card": "Картица", "for": "За", "complete": "Потврди аутентификацију", "fail": "Одбиј аутентификацију",
		"back": "Назад на страницу за плаћање", "not_found": "Плаћање није пронађено",
		"not_found_text": "На овој адреси нема плаћања које чека аутентификацију.",
		"finished":       "Аутентификација је завршена", "finished_text": "Аутентификација овог плаћања је већ завршена.",
		"closed_text": "Аутентификација је завршена. Можете затворити овај прозор.",
	},
}

// challengeLang is the page's language: ?locale= (the checkout sends the language it shows), else
// the first of the browser's languages SecureLink speaks, else Serbian Latin.
func challengeLang(r *http.Request) string {
	if l := r.URL.Query().Get("locale"); domain.ValidLocale(l) {
		return l
	}
	for _, tag := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ = strings.Cut(strings.TrimSpace(tag), ";")
		if l := domain.MatchLocale(tag); l != "" {
			return l
		}
	}
	return domain.LocaleSrLatn
}

// formatLocalAmount writes minor units as the checkout does: "28.500,50 RSD" in Serbian,
// "RSD 28,500.50" in English.
func formatLocalAmount(minor int64, currency, lang string) string {
	exp := domain.CurrencyExponent(currency)
	neg := minor < 0
	if neg {
		minor = -minor
	}
	div := int64(1)
	for range exp {
		div *= 10
	}
	group, dec := ".", ","
	if lang == domain.LocaleEn {
		group, dec = ",", "."
	}
	whole := strconv.FormatInt(minor/div, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if exp > 0 {
		f := strconv.FormatInt(minor%div, 10)
		b.WriteString(dec + strings.Repeat("0", exp-len(f)) + f)
	}
	if lang == domain.LocaleEn {
		return currency + " " + b.String()
	}
	return b.String() + " " + currency
}
