package api

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink"
	"securelink/internal/apperr"
	"securelink/internal/domain"
	"securelink/internal/notify/mail"
	"securelink/internal/paymentlinks"
	"securelink/internal/psp"
	"securelink/internal/psp/exchange"
	"securelink/internal/psp/testgateway"
)

// The kinds lists live in Go (mail.Kinds, domain.WebhookEventTypes, the error types of statusOf, the
// codes the SPAs translate, psp.PayerDeclineCodes). These tests fail when openapi.yaml, the portal's
// dictionaries or the checkout's decline texts miss one of them. The portal derives Serbian Cyrillic
// from Serbian Latin, so its three languages are covered by en.ts and sr-latn.ts.

func specEnum(t *testing.T, doc *openapi3.T, schema, property string) []string {
	t.Helper()
	s := doc.Components.Schemas[schema]
	if s == nil || s.Value.Properties[property] == nil {
		t.Fatalf("openapi.yaml has no %s.%s", schema, property)
	}
	p := s.Value.Properties[property].Value
	if p.Items != nil {
		p = p.Items.Value
	}
	var out []string
	for _, v := range p.Enum {
		out = append(out, v.(string))
	}
	return out
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(securelink.OpenAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return doc
}

// sameSet reports a difference between what Go can produce and what a list holds.
func sameSet(t *testing.T, what string, goList, other []string) {
	t.Helper()
	a, b := slices.Clone(goList), slices.Clone(other)
	sort.Strings(a)
	sort.Strings(b)
	if !slices.Equal(a, b) {
		t.Errorf("%s: Go has %v, the list has %v", what, a, b)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

// matches returns the first group of every match of re in s.
func matches(re, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestOpenAPIEnumsMatchTheGoLists(t *testing.T) {
	t.Parallel()
	doc := loadSpec(t)
	var kinds []string
	for _, k := range mail.Kinds {
		kinds = append(kinds, string(k))
	}
	sameSet(t, "Email.kind", kinds, specEnum(t, doc, "Email", "kind"))
	for _, s := range []string{"CreateWebhookEndpointRequest", "UpdateWebhookEndpointRequest", "WebhookEndpoint"} {
		sameSet(t, s+".events", domain.WebhookEventTypes, specEnum(t, doc, s, "events"))
	}
	sameSet(t, "Event.type", domain.WebhookEventTypes, specEnum(t, doc, "Event", "type"))
	sameSet(t, "ErrorDetail.type", errorTypes(), specEnum(t, doc, "ErrorDetail", "type"))
}

// errorTypes is every error type the error handler can answer with.
func errorTypes() []string {
	var out []string
	for k := apperr.KindInternal; k <= apperr.KindUnavailable; k++ {
		_, typ := statusOf(&apperr.Error{Kind: k})
		if !slices.Contains(out, typ) {
			out = append(out, typ)
		}
	}
	return out
}

func TestPortalNamesEveryEmailKind(t *testing.T) {
	t.Parallel()
	for _, dict := range []string{"en.ts", "sr-latn.ts"} {
		src := readFile(t, "../frontend-portal/src/lib/i18n/"+dict)
		var kinds []string
		for _, k := range mail.Kinds {
			kinds = append(kinds, string(k))
		}
		sameSet(t, dict+" email_kind.*", kinds, matches(`'email_kind\.(\w+)':`, src))
	}
}

func TestSPAsTranslateOnlyErrorsTheAPIGives(t *testing.T) {
	t.Parallel()
	src := readFile(t, "../frontend-portal/src/lib/errors.ts")
	// Every code the portal explains is one the API defines for that purpose.
	sameSet(t, "portal error codes", apperr.TranslatedCodes, matches(`err\.code === '(\w+)'`, src))
	// Every error type has its own words (api_error is the default branch).
	types := matches(`case '(\w+)':`, src)
	for _, typ := range errorTypes() {
		if typ != "api_error" && !slices.Contains(types, typ) {
			t.Errorf("the portal does not explain the error type %s", typ)
		}
	}
	for _, typ := range types {
		if !slices.Contains(errorTypes(), typ) {
			t.Errorf("the portal explains the error type %s, which the API never gives", typ)
		}
	}
	// The checkout explains every decline a payer can get in words of its own.
	declines := matches(`(?m)^\s*(\w+): 'declined\.`, readFile(t, "../frontend-pay/src/lib/declines.ts"))
	for _, code := range psp.PayerDeclineCodes {
		if !slices.Contains(declines, string(code)) {
			t.Errorf("the checkout has no words for the decline %s", code)
		}
	}
}

// TestSPAsExplainEveryLinkRefusal: a reusable payment link refuses a payer with one of its own codes
// (link_paused, link_ended, link_expired, link_sold_out); the checkout explains each in words of its
// own in every language ('error.<code>'; Serbian Cyrillic is derived from Serbian Latin), and so
// does the portal ('err.<code>').
func TestSPAsExplainEveryLinkRefusal(t *testing.T) {
	t.Parallel()
	dicts := map[string]string{
		"../frontend-pay/src/lib/messages-en.ts":      "error.",
		"../frontend-pay/src/lib/messages-sr-latn.ts": "error.",
		"../frontend-portal/src/lib/i18n/en.ts":       "err.",
		"../frontend-portal/src/lib/i18n/sr-latn.ts":  "err.",
	}
	for path, prefix := range dicts {
		src := readFile(t, path)
		for _, code := range paymentlinks.Codes {
			if !strings.Contains(src, "'"+prefix+code+"':") {
				t.Errorf("%s has no words for the refusal %s ('%s%s')", path, code, prefix, code)
			}
		}
	}
}

// TestPortalExplainsEveryDecline: the portal explains every decline code a provider reports (the
// payer's and the refund's), in its own words, so a Serbian merchant never reads the provider's English.
func TestPortalExplainsEveryDecline(t *testing.T) {
	t.Parallel()
	var codes []string
	for _, c := range append(slices.Clone(psp.PayerDeclineCodes), psp.DeclineRefundFailed) {
		codes = append(codes, string(c))
	}
	src := readFile(t, "../frontend-portal/src/lib/declines.ts")
	list, _, _ := strings.Cut(strings.SplitN(src, "declineCodes = [", 2)[1], "]")
	sameSet(t, "declines.ts declineCodes", codes, matches(`'(\w+)'`, list))
	for _, dict := range []string{"en.ts", "sr-latn.ts"} {
		words := readFile(t, "../frontend-portal/src/lib/i18n/"+dict)
		for _, c := range codes {
			if !strings.Contains(words, "'decline."+c+"':") {
				t.Errorf("%s has no words for the decline %s", dict, c)
			}
		}
	}
}

// TestCheckoutTestCardsComeFromGo: the checkout's list of test cards is the provider's, published
// by the API: the checkout's code holds no card number of its own, has words for every outcome, and
// the document's enum is Go's list.
func TestCheckoutTestCardsComeFromGo(t *testing.T) {
	t.Parallel()
	var outcomes []string
	for _, o := range psp.TestCardOutcomes {
		outcomes = append(outcomes, string(o))
	}
	sameSet(t, "TestCard.outcome", outcomes, specEnum(t, loadSpec(t), "TestCard", "outcome"))
	for _, dict := range []string{"messages-en.ts", "messages-sr-latn.ts"} {
		src := readFile(t, "../frontend-pay/src/lib/"+dict)
		sameSet(t, dict+" testmode.outcome.*", outcomes, matches(`'testmode\.outcome\.(\w+)':`, src))
	}
	band := readFile(t, "../frontend-pay/src/components/TestCardList.svelte")
	sameSet(t, "TestCardList outcomes", outcomes, matches(`case '(\w+)':`, band))
	err := fs.WalkDir(os.DirFS("../frontend-pay/src"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "api-types.ts") || strings.HasSuffix(path, ".test.ts") {
			return err
		}
		src := readFile(t, "../frontend-pay/src/"+path)
		for _, c := range testgateway.TestCards {
			if strings.Contains(src, c.Number) {
				t.Errorf("frontend-pay/src/%s holds the test card %s: the checkout lists the cards the API gives", path, c.Number)
			}
		}
		for _, c := range exchange.SandboxCards {
			if strings.Contains(src, c.Number) {
				t.Errorf("frontend-pay/src/%s holds the Exchange sandbox's card %s: the checkout lists the cards the API gives", path, c.Number)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
