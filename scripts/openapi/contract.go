package main

import (
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink/internal/domain"
)

// tag is one group of operations in the reference, in the order integrators meet them.
type tag struct {
	name, description string
	// internal tags hold what the portal and the checkout use; the public reference hides them.
	internal bool
}

var tags = []tag{
	{name: "Invoices", description: "An **invoice** is what a customer is asked to pay: lines with VAT, a currency and a customer. " +
		"Creating one also creates its payment link. Amounts are integers in minor units (`120000` RSD is 1.200,00 RSD)."},
	{name: "Payment links", description: "A **payment link** (`/pay/{token}`) opens the checkout for one invoice. An invoice has one active link at a time."},
	{name: "Reusable payment links", description: "A **reusable payment link** (`/pay/l/{token}`) sells a product, a service or a donation to any number of payers: " +
		"fixed lines (with a quantity the payer may change) or an amount the payer chooses within bounds, an optional maximum of payments and end date. " +
		"Each payer's order is an ordinary invoice with `payment_link_id` set; list them with `GET /invoices?payment_link={id}`."},
	{name: "Payments", description: "A **payment** is one attempt to pay an invoice by card: authorised, captured, voided or failed. " +
		"With `capture_mode: manual` the money is only reserved until you capture or void it."},
	{name: "Refunds", description: "A **refund** returns captured money to the payer, in full or in part; several partial refunds may follow one another."},
	{name: "Webhooks", description: "**Webhook endpoints** receive events as signed `POST` requests ([Standard Webhooks](https://www.standardwebhooks.com/): " +
		"`webhook-id`, `webhook-timestamp` and `webhook-signature` headers). The payload of each event type is documented under **Webhook events**."},
	{name: "Events", description: "**Events** are what happened to your objects, kept with their webhook deliveries and attempts."},
	{name: "E-mails", description: "Every **e-mail** SecureLink writes for you (payment links, receipts, refund notices) with its delivery status."},
	{name: "Merchant", description: "Your **merchant** account: settings, team and the audit log."},
	{name: "API keys", description: "**Secret API keys** (`sk_test_…`) authenticate integrations. Each key is pinned to an `API-Version` and has its own rate limit."},
	{name: "Currencies", description: "The **currencies** SecureLink accepts, each with the exponent of its minor unit (RSD 2, JPY 0, KWD 3): the one table amounts are formatted and parsed by."},
	{name: "Request logs", description: "The **request log** lists the API requests made with your keys in the last 30 days: method, path, status and request id. Bodies are never kept."},
	{name: "Webhook events", description: "The payload SecureLink `POST`s to your endpoints for each event type: `{type, timestamp, data}`, where `data` is the object as it was when the event happened."},
	{name: "Portal session", internal: true, description: "Login, logout and invitations of the merchant portal (cookie session)."},
	{name: "Checkout", internal: true, description: "What the payer's checkout calls; the link token is the capability, no authentication."},
	{name: "Provider webhooks", internal: true, description: "Notifications from payment providers, verified by their signatures."},
}

// Security scheme names, as the annotations use them.
const (
	schemeAPIKey  = "BearerAuth"
	schemeSession = "SessionCookie"
)

// addContract applies the tags, security schemes and the answers of the authentication middleware.
func addContract(doc *openapi3.T) {
	doc.Info.License = &openapi3.License{Name: "Proprietary", URL: "/api/docs/license.txt"}
	doc.Info.Contact = nil
	internal := map[string]bool{}
	doc.Tags = nil
	for _, t := range tags {
		ot := &openapi3.Tag{Name: t.name, Description: t.description}
		if t.internal {
			ot.Extensions = map[string]any{"x-internal": true}
			internal[t.name] = true
		}
		doc.Tags = append(doc.Tags, ot)
	}
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{
		schemeAPIKey: {Value: &openapi3.SecurityScheme{Type: "http", Scheme: "bearer",
			Description: "A secret API key: `Authorization: Bearer sk_test_…`. Create keys in the portal's settings or with `createApiKey`."}},
		schemeSession: {Value: &openapi3.SecurityScheme{Type: "apiKey", In: "cookie", Name: "securelink_session",
			Description: "The portal's session cookie (set by login). Unsafe methods also need the session's `X-CSRF-Token` header."}},
	}
	addCommonComponents(doc)
	for _, path := range sortedPaths(doc) {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			if len(op.Tags) > 0 && internal[op.Tags[0]] {
				op.Extensions = map[string]any{"x-internal": true}
			}
			if op.Security == nil || len(*op.Security) == 0 {
				// Public: the link or invitation token is the capability, or the provider's signature.
				op.Security = &openapi3.SecurityRequirements{}
				continue
			}
			if hasScheme(op, schemeAPIKey) {
				// Whatever takes an API key also takes the portal's session.
				*op.Security = append(*op.Security, openapi3.SecurityRequirement{schemeSession: []string{}})
				addAPIKeyAnswers(doc, method, op)
			}
			addSessionAnswers(doc, method, op)
		}
	}
}

func hasScheme(op *openapi3.Operation, name string) bool {
	for _, req := range *op.Security {
		if _, ok := req[name]; ok {
			return true
		}
	}
	return false
}

// addCommonComponents declares the header, parameter and responses every authenticated operation shares.
func addCommonComponents(doc *openapi3.T) {
	c := doc.Components
	if c.Headers == nil {
		c.Headers = openapi3.Headers{}
	}
	if c.Parameters == nil {
		c.Parameters = openapi3.ParametersMap{}
	}
	if c.Responses == nil {
		c.Responses = openapi3.ResponseBodies{}
	}
	intHeader := func(desc string) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: desc,
			Schema: openapi3.NewIntegerSchema().WithMin(0).NewRef()}}}
	}
	c.Headers["RateLimit-Limit"] = intHeader("How many requests the API key may make per window (a minute).")
	c.Headers["RateLimit-Remaining"] = intHeader("How many requests are left in the current window.")
	c.Headers["RateLimit-Reset"] = intHeader("Seconds until the current window ends and the limit is whole again.")
	c.Headers["Retry-After"] = intHeader("Seconds to wait before trying again.")
	versions := make([]any, len(domain.APIVersions))
	for i, v := range domain.APIVersions {
		versions[i] = v
	}
	version := openapi3.NewStringSchema().WithEnum(versions...)
	version.Description = "A dated API version."
	doc.Components.Schemas["APIVersion"] = version.NewRef()
	versionRef := &openapi3.SchemaRef{Ref: "#/components/schemas/APIVersion", Value: version}
	c.Headers["API-Version"] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "The API version that answered.", Schema: versionRef}}}
	c.Parameters["APIVersion"] = &openapi3.ParameterRef{Value: &openapi3.Parameter{Name: "API-Version", In: openapi3.ParameterInHeader,
		Description: "The dated API version to answer with. Without it, the version the API key was pinned to when it was created " +
			"(sessions get the latest). The answer names the version in its own `API-Version` header; an unknown version is `400 invalid_api_version`.",
		Schema: versionRef}}
	for _, name := range []string{"APIKey", "RequestLog"} {
		if sc, ok := doc.Components.Schemas[name]; ok && sc.Value.Properties["api_version"] != nil {
			sc.Value.Properties["api_version"] = versionRef
		}
	}
	errBody := errorSchema(doc)
	c.Responses["Unauthenticated"] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription("No valid API key or session (`invalid_api_key`, `api_key_revoked`, `unauthenticated`, `session_invalid`).").
		WithJSONSchemaRef(errBody)}
	c.Responses["Forbidden"] = &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription("With the session cookie: the `X-CSRF-Token` header is missing or wrong (`csrf_token_invalid`), or the route is for portal users only (`user_required`).").
		WithJSONSchemaRef(errBody)}
	limited := openapi3.NewResponse().
		WithDescription("The API key made too many requests in this window (`rate_limited`): wait `Retry-After` seconds.").
		WithJSONSchemaRef(errBody)
	limited.Headers = rateLimitHeaders(doc)
	limited.Headers["Retry-After"] = headerRef(doc, "Retry-After")
	c.Responses["RateLimited"] = &openapi3.ResponseRef{Value: limited}
}

func rateLimitHeaders(doc *openapi3.T) openapi3.Headers {
	h := openapi3.Headers{}
	for _, name := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "API-Version"} {
		h[name] = headerRef(doc, name)
	}
	return h
}

// The references below carry their targets: the document is validated before it is written.
func headerRef(doc *openapi3.T, name string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: doc.Components.Headers[name].Value}
}

func responseRef(doc *openapi3.T, name string) *openapi3.ResponseRef {
	return &openapi3.ResponseRef{Ref: "#/components/responses/" + name, Value: doc.Components.Responses[name].Value}
}

// addAPIKeyAnswers adds what an API key's request can get before its handler runs: the version
// header, 400 for an unknown version, 401 and 429 with the rate-limit headers, and those headers on
// every success.
func addAPIKeyAnswers(doc *openapi3.T, method string, op *openapi3.Operation) {
	op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/APIVersion",
		Value: doc.Components.Parameters["APIVersion"].Value})
	for code, r := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") && r.Value != nil {
			if r.Value.Headers == nil {
				r.Value.Headers = openapi3.Headers{}
			}
			for k, v := range rateLimitHeaders(doc) {
				r.Value.Headers[k] = v
			}
		}
	}
	if op.Responses.Value("400") == nil {
		op.Responses.Set("400", &openapi3.ResponseRef{Value: openapi3.NewResponse().
			WithDescription("Bad Request: an unknown `API-Version`.").WithJSONSchemaRef(errorSchema(doc))})
	}
	op.Responses.Set("401", responseRef(doc, "Unauthenticated"))
	op.Responses.Set("429", responseRef(doc, "RateLimited"))
}

// addSessionAnswers adds the 403 a session's unsafe request gets without its CSRF token.
func addSessionAnswers(doc *openapi3.T, method string, op *openapi3.Operation) {
	if hasScheme(op, schemeSession) && method != http.MethodGet {
		op.Responses.Set("403", responseRef(doc, "Forbidden"))
	}
	if op.Responses.Value("401") == nil {
		op.Responses.Set("401", responseRef(doc, "Unauthenticated"))
	}
}

func sortedPaths(doc *openapi3.T) []string {
	ps := doc.Paths.InMatchingOrder()
	sort.Strings(ps)
	return ps
}

func sortedMethods(item *openapi3.PathItem) []string {
	ms := make([]string, 0, 4)
	for m := range item.Operations() {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	return ms
}
