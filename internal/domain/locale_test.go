package domain_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"securelink/internal/domain"
)

// TestMatchLocaleAgreesWithTheSPAs reads the cases the SPAs' rule is tested with
// (frontend-shared/src/locale-cases.json), so the server and both SPAs choose alike.
func TestMatchLocaleAgreesWithTheSPAs(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../frontend-shared/src/locale-cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases [][2]string
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		if got := domain.MatchLocale(c[0]); got != c[1] {
			t.Errorf("MatchLocale(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

func TestLongDate(t *testing.T) {
	t.Parallel()
	d := time.Date(2027, 1, 1, 10, 0, 0, 0, time.UTC)
	cases := map[string]string{domain.LocaleSrLatn: "1. januara 2027.", domain.LocaleSrCyrl: "1. јануара 2027.", domain.LocaleEn: "1 January 2027"}
	for loc, want := range cases {
		if got := domain.LongDate(d, loc); got != want {
			t.Errorf("%s: %q, want %q", loc, got, want)
		}
	}
	if got := domain.EndSentence("Link važi do " + domain.LongDate(d, domain.LocaleSrLatn)); got != "Link važi do 1. januara 2027." {
		t.Errorf("EndSentence: %q", got)
	}
	if got := domain.EndSentence("Valid until 1 January 2027"); got != "Valid until 1 January 2027." {
		t.Errorf("EndSentence: %q", got)
	}
}
