package api

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/validate"
)

// guardInput refuses, once for every API route, input no database column may hold: a NUL or invalid
// UTF-8 in a path parameter (404: no id can contain one), a query parameter or the Idempotency-Key
// (400 naming it). Query values that look like card numbers are refused too, so a card number typed
// into a search box never reaches a log or a query plan. JSON bodies get the same checks in decode.
func guardInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return next(c)
		}
		names, values := c.ParamNames(), c.ParamValues()
		for i, name := range names {
			if i >= len(values) {
				break
			}
			v := values[i]
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			if validate.NoNUL(name, v) != nil || validate.NoNUL(name, values[i]) != nil {
				return &apperr.Error{Kind: apperr.KindNotFound, Code: "resource_missing", Param: name,
					Message: "No such " + name + ": it contains a character no id has."}
			}
		}
		for name, vs := range c.QueryParams() {
			if err := validate.NoNUL(name, name); err != nil {
				return err
			}
			for _, v := range vs {
				if err := validate.NoNUL(name, v); err != nil {
					return err
				}
				if err := validate.NoCardNumber(name, v); err != nil {
					return err
				}
			}
		}
		if k := c.Request().Header.Get("Idempotency-Key"); k != "" {
			if err := validate.NoNUL("Idempotency-Key", k); err != nil {
				return err
			}
			if err := validate.NoCardNumber("Idempotency-Key", k); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// requireJSON refuses a body that is not labelled JSON: 415 rather than guessing what it holds.
func requireJSON(c echo.Context) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	mt := strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	if mt == echo.MIMEApplicationJSON || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Code: "unsupported_media_type", Param: "Content-Type",
		Status:  http.StatusUnsupportedMediaType,
		Message: "Send the body as JSON with the header Content-Type: application/json."}
}

// allowCardDigits marks a string field whose own rule refuses card numbers with a more precise
// error (a PSP token has a shape of its own), so the generic check leaves it to that rule.
const allowCardDigits = "token"

// checkStrings walks a decoded request and refuses any string with a NUL or invalid UTF-8, or one
// that looks like a card number, naming the field as the client sent it (customer.name,
// lines[2].description).
func checkStrings(v reflect.Value, param string, cardCheck bool) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkStrings(v.Elem(), param, cardCheck)
	case reflect.String:
		s := v.String()
		if err := validate.NoNUL(param, s); err != nil {
			return err
		}
		if cardCheck {
			return validate.NoCardNumber(param, s)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if f.Anonymous && f.Tag.Get("json") == "" {
				name = param
			} else if param != "" {
				name = param + "." + name
			}
			if err := checkStrings(v.Field(i), name, cardCheck && f.Tag.Get("carddata") != allowCardDigits); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		for i := range v.Len() {
			if err := checkStrings(v.Index(i), param+"["+strconv.Itoa(i)+"]", cardCheck); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			k := it.Key()
			name := param + "[" + k.String() + "]"
			if k.Kind() == reflect.String {
				if err := checkStrings(k, name, cardCheck); err != nil {
					return err
				}
			}
			if err := checkStrings(it.Value(), name, cardCheck); err != nil {
				return err
			}
		}
	default:
		// Numbers, booleans and the like carry no text.
	}
	return nil
}
