package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// swaggerFixture is the smallest document swag writes for one API-key operation and one public one.
const swaggerFixture = `{
  "swagger": "2.0",
  "info": {"title": "SecureLink API", "version": "1.0", "license": {"name": "Proprietary"}},
  "basePath": "/api/v1",
  "securityDefinitions": {"BearerAuth": {"type": "apiKey", "in": "header", "name": "Authorization"}},
  "paths": {
    "/invoices": {"get": {"operationId": "listInvoices", "tags": ["Invoices"], "summary": "List invoices",
      "security": [{"BearerAuth": []}], "produces": ["application/json"],
      "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/api.ListResponse-Invoice"}},
                    "400": {"description": "Bad Request", "schema": {"$ref": "#/definitions/ErrorResponse"}}}}},
    "/checkout/{token}": {"get": {"operationId": "getCheckout", "tags": ["Checkout"], "summary": "A checkout",
      "parameters": [{"name": "token", "in": "path", "required": true, "type": "string"}],
      "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Invoice"}},
                    "404": {"description": "Not Found", "schema": {"$ref": "#/definitions/ErrorResponse"}}}}}
  },
  "definitions": {
    "ErrorResponse": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "properties": {"code": {"type": "string", "example": "invalid_currency"}}}}},
    "Invoice": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "example": "inv_1"}}},
    "api.ListResponse-Invoice": {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": {"$ref": "#/definitions/Invoice"}}}}
  }
}`

// TestConvertIsDeterministic: the same annotations give the same bytes, with the contract the
// converter adds (list names, explicit public security, middleware answers, webhook payloads).
func TestConvertIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "swagger.json")
	if err := os.WriteFile(in, []byte(swaggerFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	var outs [][]byte
	for i := range 3 {
		out := filepath.Join(dir, "openapi"+string(rune('a'+i))+".yaml")
		if err := convert(in, out); err != nil {
			t.Fatalf("convert: %v", err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) || !bytes.Equal(outs[1], outs[2]) {
		t.Fatalf("two conversions of the same input differ")
	}
	doc := string(outs[0])
	for _, want := range []string{
		"InvoiceList:", "security: []", "x-internal: true", "RateLimited", "API-Version",
		"x-webhooks:", "InvoicePaidEvent:", "SessionCookie:", "url: /api/docs/license.txt",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the converted document lacks %q", want)
		}
	}
	if strings.Contains(doc, "api.ListResponse") {
		t.Errorf("swag's list names leak into the document")
	}
}
