package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"securelink/api"
)

// addWebhooks documents each webhook event type: a schema for its payload, generated from the Go
// type the product encodes, an envelope schema per type with an example, and an x-webhooks entry
// (what the reference shows as the request SecureLink sends to an endpoint).
func addWebhooks(doc *openapi3.T) error {
	enums := api.WebhookEnums()
	hooks := map[string]any{}
	names := make([]any, 0, len(api.WebhookEventDocs()))
	for _, ev := range api.WebhookEventDocs() {
		dataRef, err := schemaOf(doc, reflect.TypeOf(ev.Example), enums)
		if err != nil {
			return fmt.Errorf("webhook %s: %w", ev.Type, err)
		}
		name := api.WebhookEventSchemaName(ev.Type)
		names = append(names, ev.Type)
		envelope := openapi3.NewObjectSchema().
			WithProperty("type", openapi3.NewStringSchema().WithEnum(ev.Type)).
			WithProperty("livemode", livemodeSchema()).
			WithPropertyRef("timestamp", openapi3.NewDateTimeSchema().NewRef()).
			WithPropertyRef("data", dataRef)
		envelope.Required = []string{"type", "livemode", "timestamp", "data"}
		envelope.Description = ev.Summary + "."
		example, err := exampleJSON(api.WebhookEnvelope{Type: ev.Type,
			Timestamp: time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC), Data: ev.Example})
		if err != nil {
			return err
		}
		envelope.Example = example
		doc.Components.Schemas[name] = envelope.NewRef()
		hooks[ev.Type] = webhookOperation(ev, name, example)
	}
	event := openapi3.NewStringSchema().WithEnum(names...)
	event.Description = "A webhook event type."
	doc.Components.Schemas["WebhookEventType"] = event.NewRef()
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	doc.Extensions["x-webhooks"] = hooks
	linkEventTypes(doc)
	return nil
}

// livemodeSchema describes an envelope's livemode.
func livemodeSchema() *openapi3.Schema {
	s := openapi3.NewBoolSchema()
	s.Description = "false for an event about test data, true for live data; an endpoint receives the events of its own mode only."
	return s
}

// webhookOperation is the request SecureLink sends to an endpoint for one event type, written as
// plain data: OpenAPI 3.0 has no webhooks object, so x-webhooks carries it for the reference.
func webhookOperation(ev api.WebhookEventDoc, schema string, example any) map[string]any {
	header := func(desc string) map[string]any {
		return map[string]any{"in": "header", "required": true, "description": desc, "schema": map[string]any{"type": "string"}}
	}
	h1, h2, h3 := header("The event id (evt_…): the same on every retry, so receivers can drop duplicates."),
		header("Unix seconds when the attempt was signed."),
		header("`v1,` followed by the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's secret; during a secret rotation, one signature per secret, separated by spaces.")
	h1["name"], h2["name"], h3["name"] = "webhook-id", "webhook-timestamp", "webhook-signature"
	return map[string]any{"post": map[string]any{
		"operationId": "on" + strings.TrimSuffix(schema, "Event"),
		"summary":     ev.Summary,
		"description": "Sent to every enabled endpoint of the event's mode subscribed to `" + ev.Type + "`. Answer with any `2xx` within 10 seconds; " +
			"other answers are retried with backoff, and `410 Gone` disables the endpoint.",
		"tags":       []string{"Webhook events"},
		"security":   []any{},
		"parameters": []any{h1, h2, h3},
		"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/" + schema}, "example": example}}},
		"responses": map[string]any{
			"200": map[string]any{"description": "Any 2xx acknowledges the event."},
			"410": map[string]any{"description": "Gone: the endpoint is disabled and gets no more events."},
		},
	}}
}

// exampleJSON turns a Go value into the plain JSON value the document holds.
func exampleJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// schemaOf describes a Go type as the JSON encoder writes it; a struct becomes a named component.
func schemaOf(doc *openapi3.T, t reflect.Type, enums map[reflect.Type][]string) (*openapi3.SchemaRef, error) {
	if vs, ok := enums[t]; ok {
		s := openapi3.NewStringSchema()
		for _, v := range vs {
			s.Enum = append(s.Enum, v)
		}
		return s.NewRef(), nil
	}
	if t == reflect.TypeFor[time.Time]() {
		return openapi3.NewDateTimeSchema().NewRef(), nil
	}
	switch t.Kind() {
	case reflect.String:
		return openapi3.NewStringSchema().NewRef(), nil
	case reflect.Int, reflect.Int64, reflect.Int32:
		return openapi3.NewInt64Schema().NewRef(), nil
	case reflect.Bool:
		return openapi3.NewBoolSchema().NewRef(), nil
	case reflect.Pointer:
		inner, err := schemaOf(doc, t.Elem(), enums)
		if err != nil {
			return nil, err
		}
		s := &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Nullable: true, AllOf: openapi3.SchemaRefs{inner}}
		return s.NewRef(), nil
	case reflect.Struct:
		return structSchema(doc, t, enums)
	default:
		// Event payloads use only the kinds above; another kind is a payload type to describe first.
		return nil, fmt.Errorf("no schema for Go type %s", t)
	}
}

func structSchema(doc *openapi3.T, t reflect.Type, enums map[reflect.Type][]string) (*openapi3.SchemaRef, error) {
	ref := "#/components/schemas/" + t.Name()
	if existing, ok := doc.Components.Schemas[t.Name()]; ok {
		return &openapi3.SchemaRef{Ref: ref, Value: existing.Value}, nil
	}
	s := openapi3.NewObjectSchema()
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		p, err := schemaOf(doc, f.Type, enums)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
		}
		s.Properties[name] = p
		if !strings.Contains(opts, "omitempty") {
			s.Required = append(s.Required, name)
		}
	}
	doc.Components.Schemas[t.Name()] = s.NewRef()
	return &openapi3.SchemaRef{Ref: ref, Value: s}, nil
}

// linkEventTypes makes every list of event types (and an event's type) name the enum of webhook
// event types, so the document has the product's one list.
func linkEventTypes(doc *openapi3.T) {
	ref := &openapi3.SchemaRef{Ref: "#/components/schemas/WebhookEventType", Value: doc.Components.Schemas["WebhookEventType"].Value}
	for _, name := range []string{"CreateWebhookEndpointRequest", "UpdateWebhookEndpointRequest", "WebhookEndpoint"} {
		if s, ok := doc.Components.Schemas[name]; ok {
			if p := s.Value.Properties["events"]; p != nil && p.Value.Items != nil {
				p.Value.Items = ref
			}
		}
	}
	if s, ok := doc.Components.Schemas["Event"]; ok && s.Value.Properties["type"] != nil {
		s.Value.Properties["type"] = ref
	}
}
