package testgateway

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"securelink/internal/psp"
	"securelink/internal/validate"
)

func TestDetectBrand(t *testing.T) {
	tests := []struct {
		number, want string
	}{
		{"4242424242424242", BrandVisa},
		{"4000000000000002", BrandVisa},
		{"5555555555554444", BrandMastercard},
		{"5105105105105100", BrandMastercard},
		{"2221000000000009", BrandMastercard},
		{"2720990000000000", BrandMastercard},
		{"2220990000000000", BrandUnknown},
		{"2721000000000000", BrandUnknown},
		{"378282246310005", BrandAmex},
		{"341111111111111", BrandAmex},
		{"9891000000000003", BrandDinaCard},
		{"9892000000000000", BrandUnknown},
		{"5018000000000009", BrandMaestro},
		{"6759649826438453", BrandMaestro},
		{"6304000000000000", BrandMaestro},
		{"5600000000000000", BrandMaestro},
		{"3530111333300000", BrandUnknown},
		{"1", BrandUnknown},
	}
	for _, tc := range tests {
		if got := DetectBrand(tc.number); got != tc.want {
			t.Errorf("DetectBrand(%s) = %q, want %q", tc.number, got, tc.want)
		}
	}
}

func TestLuhnValid(t *testing.T) {
	valid := []string{
		"4242424242424242", "5555555555554444", "378282246310005", "9891000000000003", "4000000000000002",
		"4000000000009995", "4000000000000069", "4000000000000127", "4000000000000119", "4000000000003220",
		"4000002500003155", "4000008400001629", "4000000000005126",
	}
	for _, n := range valid {
		if !LuhnValid(n) {
			t.Errorf("LuhnValid(%s) = false, want true (a documented test card)", n)
		}
	}
	for _, n := range []string{"4242424242424241", "5555555555554440", "", "1"} {
		if LuhnValid(n) {
			t.Errorf("LuhnValid(%s) = true, want false", n)
		}
	}
}

// fixedClock is a settable clock for Config.Now.
type fixedClock struct{ at time.Time }

func (c *fixedClock) now() time.Time { return c.at }

func TestTokenValidation(t *testing.T) {
	clock := &fixedClock{at: time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)}
	g := newGateway(t, Config{Now: clock.now})
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
		wantParam  string
		wantBrand  string
		wantExp    [2]int
	}{
		{"visa with spaces", `{"number":"4242 4242 4242 4242","exp_month":12,"exp_year":2027,"cvc":"123","name":"Ana"}`, 201, "", "", BrandVisa, [2]int{12, 2027}},
		{"two-digit year and string fields", `{"number":"5555555555554444","exp_month":"03","exp_year":"28","cvc":"123"}`, 201, "", "", BrandMastercard, [2]int{3, 2028}},
		{"amex 4-digit cvc", `{"number":"378282246310005","exp_month":1,"exp_year":2030,"cvc":"1234"}`, 201, "", "", BrandAmex, [2]int{1, 2030}},
		{"dinacard", `{"number":"9891000000000003","exp_month":11,"exp_year":2026,"cvc":"123"}`, 201, "", "", BrandDinaCard, [2]int{11, 2026}},
		{"current month is still valid", `{"number":"4242424242424242","exp_month":11,"exp_year":26,"cvc":"123"}`, 201, "", "", BrandVisa, [2]int{11, 2026}},
		{"letters in number", `{"number":"4242-4242-4242-4242","exp_month":12,"exp_year":2027,"cvc":"123"}`, 400, "invalid_number", "number", "", [2]int{}},
		{"empty number", `{"number":"","exp_month":12,"exp_year":2027,"cvc":"123"}`, 400, "invalid_number", "number", "", [2]int{}},
		{"wrong length for visa", `{"number":"42424242424242","exp_month":12,"exp_year":2027,"cvc":"123"}`, 400, "invalid_number", "number", "", [2]int{}},
		{"luhn fails", `{"number":"4242424242424241","exp_month":12,"exp_year":2027,"cvc":"123"}`, 400, "incorrect_number", "number", "", [2]int{}},
		{"month 13", `{"number":"4242424242424242","exp_month":13,"exp_year":2027,"cvc":"123"}`, 400, "invalid_expiry", "exp_month", "", [2]int{}},
		{"month not a number", `{"number":"4242424242424242","exp_month":"xx","exp_year":2027,"cvc":"123"}`, 400, "invalid_expiry", "exp_month", "", [2]int{}},
		{"last month", `{"number":"4242424242424242","exp_month":10,"exp_year":2026,"cvc":"123"}`, 400, "invalid_expiry", "exp_month", "", [2]int{}},
		{"last year", `{"number":"4242424242424242","exp_month":12,"exp_year":2025,"cvc":"123"}`, 400, "invalid_expiry", "exp_year", "", [2]int{}},
		{"three-digit year", `{"number":"4242424242424242","exp_month":12,"exp_year":202,"cvc":"123"}`, 400, "invalid_expiry", "exp_year", "", [2]int{}},
		{"missing cvc", `{"number":"4242424242424242","exp_month":12,"exp_year":2027}`, 400, "invalid_cvc", "cvc", "", [2]int{}},
		{"visa with 4-digit cvc", `{"number":"4242424242424242","exp_month":12,"exp_year":2027,"cvc":"1234"}`, 400, "invalid_cvc", "cvc", "", [2]int{}},
		{"amex with 3-digit cvc", `{"number":"378282246310005","exp_month":12,"exp_year":2027,"cvc":"123"}`, 400, "invalid_cvc", "cvc", "", [2]int{}},
		{"cvc with letters", `{"number":"4242424242424242","exp_month":12,"exp_year":2027,"cvc":"12a"}`, 400, "invalid_cvc", "cvc", "", [2]int{}},
		{"unknown field", `{"number":"4242424242424242","exp_month":12,"exp_year":2027,"cvc":"123","zip":"1"}`, 400, "parameter_unknown", "zip", "", [2]int{}},
		{"not json", `number=4242`, 400, "invalid_json", "", "", [2]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/tokens", map[string]string{"Content-Type": "application/json"}, tc.body)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, raw)
			}
			if tc.wantStatus != http.StatusCreated {
				e := errorCode(t, raw)
				if e.Type != typeInvalidRequest || e.Code != tc.wantCode || e.Param != tc.wantParam || e.Message == "" {
					t.Errorf("error = %+v, want %s on %q with a message", e, tc.wantCode, tc.wantParam)
				}
				return
			}
			var tok tokenObject
			if err := json.Unmarshal(raw, &tok); err != nil {
				t.Fatal(err)
			}
			if len(tok.ID) < 20 || tok.ID[:4] != "tok_" || tok.Object != "token" {
				t.Errorf("token id %q object %q", tok.ID, tok.Object)
			}
			if tok.Card.Brand != tc.wantBrand || tok.Card.ExpMonth != tc.wantExp[0] || tok.Card.ExpYear != tc.wantExp[1] || len(tok.Card.Last4) != 4 {
				t.Errorf("card = %+v, want %s %v", tok.Card, tc.wantBrand, tc.wantExp)
			}
			if !tok.ExpiresAt.Equal(clock.at.Add(TokenTTL)) {
				t.Errorf("expires_at %v, want %v", tok.ExpiresAt, clock.at.Add(TokenTTL))
			}
		})
	}
}

// TestTokenNeverEchoesCard proves the token answer holds no card number or CVC.
func TestTokenNeverEchoesCard(t *testing.T) {
	g := newGateway(t, Config{})
	status, _, raw := g.call(t, http.MethodPost, "/gateway/v1/tokens", nil,
		`{"number":"4000002500003155","exp_month":12,"exp_year":2035,"cvc":"987"}`)
	if status != http.StatusCreated {
		t.Fatalf("status %d: %s", status, raw)
	}
	// The random id and the expiry's nanoseconds could contain any digits by chance, so look at
	// everything else.
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	delete(fields, "id")
	delete(fields, "expires_at")
	rest, _ := json.Marshal(fields)
	for _, secret := range []string{"4000002500003155", "40000025", "987"} {
		if strings.Contains(string(rest), secret) {
			t.Errorf("token answer contains %q: %s", secret, raw)
		}
	}
}

// TestPublishedTestCards: every card a test checkout lists is a valid number of the brand it names
// and does what its outcome says; the numbers are listed once.
func TestPublishedTestCards(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range TestCards {
		if seen[c.Number] {
			t.Errorf("%s is listed twice", c.Number)
		}
		seen[c.Number] = true
		if !validate.Luhn(c.Number) {
			t.Errorf("%s fails the Luhn check", c.Number)
		}
		if got := DetectBrand(c.Number); got != c.Brand {
			t.Errorf("%s is %s, listed as %s", c.Number, got, c.Brand)
		}
		b := behaviourOf(c.Number)
		var want behaviourKind
		switch c.Outcome {
		case psp.TestCardSucceeds:
			want = behaveSucceed
		case psp.TestCardDeclined:
			want = behaveDecline
		case psp.TestCardChallenge:
			want = behaveChallenge
		case psp.TestCardChallengeFails:
			want = behaveChallengeDecline
		case psp.TestCardRefundFails:
			want = behaveRefundFail
		default:
			t.Errorf("%s has the unknown outcome %q", c.Number, c.Outcome)
		}
		if b.kind != want || b.code != c.DeclineCode {
			t.Errorf("%s behaves as %+v, listed as %s %s", c.Number, b, c.Outcome, c.DeclineCode)
		}
		if (c.DeclineCode != "") != (c.Outcome == psp.TestCardDeclined || c.Outcome == psp.TestCardChallengeFails) {
			t.Errorf("%s: a decline code goes with a declined card only", c.Number)
		}
	}
	var c psp.TestCardLister = &Client{}
	if len(c.TestCards()) != len(TestCards) {
		t.Error("the client lists other cards than the gateway's")
	}
}
