package api_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"securelink"
	"securelink/api/wiring"
	"securelink/internal/provideraccounts"
	"securelink/internal/psp"
)

// TestPortalWordsEveryProviderField: the portal words each field a merchant fills in for a provider
// (GET /providers lists them) and each reason a connection test fails, by their stable keys, so a
// Serbian merchant never reads a provider's English field names; and it words nothing Go lacks.
// The portal derives Serbian Cyrillic from Serbian Latin, so en.ts and sr-latn.ts cover all three.
func TestPortalWordsEveryProviderField(t *testing.T) {
	t.Parallel()
	wiring.RegisterProviders()
	var fields []string
	for _, p := range (&provideraccounts.Service{}).Providers() {
		if strings.HasPrefix(p.Name, "testgateway-") {
			continue // registered by tests only
		}
		for _, f := range p.Fields {
			fields = append(fields, p.Name+"."+f.Key)
		}
	}
	if len(fields) == 0 {
		t.Fatal("no provider has a field a merchant fills in")
	}
	var failures []string
	for _, c := range psp.ConnectionFailures {
		failures = append(failures, string(c))
	}
	if spec := string(securelink.OpenAPI); !strings.Contains(spec, "ProviderAccountTest:") {
		t.Fatal("openapi.yaml has no ProviderAccountTest")
	} else {
		_, rest, _ := strings.Cut(spec, "    ProviderAccountTest:\n")
		_, enum, _ := strings.Cut(rest, "enum:\n")
		enum, _, _ = strings.Cut(enum, "type:")
		sameStrings(t, "openapi.yaml ProviderAccountTest.code", failures, firstGroups(`- (\w+)`, enum))
	}
	for _, dict := range []string{"en.ts", "sr-latn.ts"} {
		b, err := os.ReadFile("../frontend-portal/src/lib/i18n/" + dict)
		if err != nil {
			t.Fatal(err)
		}
		sameStrings(t, dict+" provider_field.*", fields, firstGroups(`'provider_field\.([\w.]+)':`, string(b)))
		sameStrings(t, dict+" providers.test_failure.*", failures, firstGroups(`'providers\.test_failure\.(\w+)':`, string(b)))
	}
}

func firstGroups(re, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameStrings(t *testing.T, what string, goList, other []string) {
	t.Helper()
	a, b := slices.Clone(goList), slices.Clone(other)
	slices.Sort(a)
	slices.Sort(b)
	if !slices.Equal(a, b) {
		t.Errorf("%s: Go has %v, the list has %v", what, a, b)
	}
}

// TestPortalLinksEveryGoLiveStep: the go-live page words each step of Go's checklist and links it to
// a Settings section; the openapi enum is Go's list.
func TestPortalLinksEveryGoLiveStep(t *testing.T) {
	t.Parallel()
	for _, dict := range []string{"en.ts", "sr-latn.ts"} {
		b, err := os.ReadFile("../frontend-portal/src/lib/i18n/" + dict)
		if err != nil {
			t.Fatal(err)
		}
		sameStrings(t, dict+" golive.step.*", provideraccounts.GoLiveSteps, firstGroups(`'golive\.step\.(\w+)':`, string(b)))
		sameStrings(t, dict+" golive.hint.*", provideraccounts.GoLiveSteps, firstGroups(`'golive\.hint\.(\w+)':`, string(b)))
	}
	page, err := os.ReadFile("../frontend-portal/src/pages/GoLive.svelte")
	if err != nil {
		t.Fatal(err)
	}
	_, fix, _ := strings.Cut(string(page), "const fixAt")
	fix, _, _ = strings.Cut(fix, "};")
	sameStrings(t, "GoLive.svelte fixAt", provideraccounts.GoLiveSteps, firstGroups(`(?m)^\s*(\w+): 's-\w+',`, fix))
	spec := string(securelink.OpenAPI)
	_, rest, _ := strings.Cut(spec, "    GoLiveStep:\n")
	_, enum, _ := strings.Cut(rest, "enum:\n")
	enum, _, _ = strings.Cut(enum, "type:")
	sameStrings(t, "openapi.yaml GoLiveStep.key", provideraccounts.GoLiveSteps, firstGroups(`- (\w+)`, enum))
}
