package domain

import (
	"strconv"
	"strings"
	"time"
)

// Serbian month names in the genitive, as a date is written: "1. januara 2027."
var (
	monthsSrLatn = [12]string{"januara", "februara", "marta", "aprila", "maja", "juna", "jula", "avgusta",
		"septembra", "oktobra", "novembra", "decembra"}
	monthsSrCyrl = [12]string{"јануара", "фебруара", "марта", "априла", "маја", "јуна", "јула", "августа",
		"септембра", "октобра", "новембра", "децембра"}
)

// LongDate writes a day as people of locale read it: "1. januara 2027." in Serbian Latin,
// "1. јануара 2027." in Cyrillic, "1 January 2027" in English. The Serbian form ends with its own
// full stop, so a sentence that ends with a date adds none (see EndSentence).
func LongDate(t time.Time, locale string) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	day, year := strconv.Itoa(t.Day()), strconv.Itoa(t.Year())
	switch locale {
	case LocaleSrLatn:
		return day + ". " + monthsSrLatn[t.Month()-1] + " " + year + "."
	case LocaleSrCyrl:
		return day + ". " + monthsSrCyrl[t.Month()-1] + " " + year + "."
	}
	return day + " " + t.Month().String() + " " + year
}

// EndSentence ends s with one full stop: a sentence whose last word is a Serbian date (which ends
// with one) gets no second.
func EndSentence(s string) string {
	if s == "" || s[len(s)-1] == '.' {
		return s
	}
	return s + "."
}

// MatchLocale maps a language tag (a browser's, an Accept-Language entry) to one of SecureLink's
// locales, or "" when none fits. It is the one rule both SPAs follow too (frontend-shared/src/locale.ts;
// a test reads the same cases in both): "sr-Latn…" is Latin; plain "sr", "sr-RS" and any other "sr-…"
// are Cyrillic, as CLDR's likely subtags say; "sh" and the neighbouring hr, bs and cnr read Latin;
// "en…" is English.
func MatchLocale(tag string) string {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	switch {
	case t == "":
		return ""
	case t == "en" || strings.HasPrefix(t, "en-"):
		return LocaleEn
	case strings.HasPrefix(t, "sr-latn") || t == "sh" || strings.HasPrefix(t, "sh-") || t == "sr-me":
		return LocaleSrLatn
	case t == "sr" || strings.HasPrefix(t, "sr-"):
		return LocaleSrCyrl
	}
	for _, p := range []string{"hr", "bs", "cnr"} {
		if t == p || strings.HasPrefix(t, p+"-") {
			return LocaleSrLatn
		}
	}
	return ""
}
