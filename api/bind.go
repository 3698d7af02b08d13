package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 64 << 10

// readBody reads the body once (bounded) and keeps it for idempotency hashing.
func readBody(c echo.Context) ([]byte, error) {
	if b, ok := c.Get(ctxBody).([]byte); ok {
		return b, nil
	}
	r := c.Request()
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &apperr.Error{Kind: apperr.KindInvalid, Code: "request_too_large", Message: "The request body is larger than 64 KiB.", Status: http.StatusRequestEntityTooLarge}
		}
		return nil, apperr.Invalid("", "invalid_body", "The request body could not be read.")
	}
	c.Set(ctxBody, b)
	return b, nil
}

// decode reads a JSON object into dst, rejecting unknown fields, wrong types, trailing data and
// bodies over the limit, each with an error naming the param. An empty body decodes to the zero value
// when optional is true.
func decode(c echo.Context, dst any, optional bool) error {
	b, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if optional {
			return nil
		}
		return apperr.Invalid("", "missing_body", "A JSON request body is required.")
	}
	if err := requireJSON(c); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(dst); err != nil {
		return jsonError(err)
	}
	if d.More() {
		return apperr.Invalid("", "invalid_json", "The body must hold exactly one JSON object.")
	}
	return checkStrings(reflect.ValueOf(dst), "", true)
}

func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalid("", "invalid_json", "The body is not valid JSON.")
	case errors.As(err, &te):
		param := te.Field
		if param == "" {
			return apperr.Invalid("", "invalid_json", "The body must be a JSON object.")
		}
		return apperr.Invalid(param, "invalid_type", "%s must be a JSON %s.", param, jsonKind(te.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Invalid(f, "unknown_parameter", "Unknown parameter %s.", f)
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae
	}
	return apperr.Invalid("", "invalid_json", "The body is not valid JSON: %s", err.Error())
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "int", "int64", "int32", "uint", "uint64", "float64", "float32":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return goKind
}
