package main

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// addExamples gives every JSON request body and success response an example assembled from the
// examples of its properties (the DTOs' example tags), so the reference and SDK docs show a whole
// object. The document's validation checks each example against its schema.
func addExamples(doc *openapi3.T) {
	for _, path := range sortedPaths(doc) {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				setExample(op.RequestBody.Value.Content)
			}
			for code, r := range op.Responses.Map() {
				if strings.HasPrefix(code, "2") && r.Ref == "" && r.Value != nil {
					setExample(r.Value.Content)
				}
			}
		}
	}
}

func setExample(content openapi3.Content) {
	mt := content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Example != nil {
		return
	}
	mt.Example = exampleOf(mt.Schema, 0)
}

// exampleFormats are the values shown for formatted strings without an example of their own.
var exampleFormats = map[string]string{
	"date-time": "2026-12-02T10:30:00Z",
	"date":      "2026-12-02",
	"email":     "ana@example.com",
	"uri":       "https://example.com/webhooks/securelink",
}

// exampleOf builds a value for a schema: its own example, else one built from its parts.
func exampleOf(ref *openapi3.SchemaRef, depth int) any {
	s := ref.Value
	if s == nil || depth > 8 {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if len(s.AllOf) == 1 {
		return exampleOf(s.AllOf[0], depth+1)
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is(openapi3.TypeObject):
		out := map[string]any{}
		for name, p := range s.Properties {
			// Optional properties appear only with an example of their own: the expandable ones
			// (a payment's invoice, which lists payments…) would otherwise nest without end.
			if !slices.Contains(s.Required, name) && (p.Value == nil || p.Value.Example == nil) {
				continue
			}
			if v := exampleOf(p, depth+1); v != nil {
				out[name] = v
			}
		}
		if s.AdditionalProperties.Schema != nil && len(out) == 0 {
			out["key"] = exampleOf(s.AdditionalProperties.Schema, depth+1)
		}
		return out
	case s.Type.Is(openapi3.TypeArray):
		if s.Items == nil {
			return []any{}
		}
		if v := exampleOf(s.Items, depth+1); v != nil {
			return []any{v}
		}
		return []any{}
	case s.Type.Is(openapi3.TypeString):
		if v, ok := exampleFormats[s.Format]; ok {
			return v
		}
		return "string"
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		if s.Min != nil {
			return *s.Min
		}
		return 0
	case s.Type.Is(openapi3.TypeBoolean):
		return false
	}
	return nil
}
