package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/idempotency"
)

// teeWriter keeps a copy of the response body for the idempotency record.
type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

// replayedHeader marks an answer given again for a repeated Idempotency-Key.
const replayedHeader = "Idempotent-Replayed"

// idempotencyKey is the request's Idempotency-Key header, empty when there is none.
func idempotencyKey(c echo.Context) (string, error) {
	key := c.Request().Header.Get("Idempotency-Key")
	if len(key) > idempotency.MaxKeyLength {
		return "", apperr.Invalid("Idempotency-Key", "invalid_idempotency_key", "The Idempotency-Key header may have at most %d characters.", idempotency.MaxKeyLength)
	}
	return key, nil
}

// idempotent answers a repeated POST with the same Idempotency-Key from the stored response:
// same body → the stored response with Idempotent-Replayed: true; another body → 422; the first
// request still running → 409. Keys are scoped to the caller and the endpoint.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost {
			return next(c)
		}
		key, err := idempotencyKey(c)
		if err != nil {
			return err
		}
		if key == "" {
			return next(c)
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		caller := actorOf(c).Label()
		if a := actorOf(c); a.MerchantID == "" {
			caller = "public"
		}
		scope := caller + " " + r.Method + " " + r.URL.Path
		ctx := r.Context()
		rec, started, err := s.d.Idempotency.Begin(ctx, scope, key, hash, time.Now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if !started {
			switch {
			case rec.Running:
				return apperr.IdempotencyKeyInUse()
			case rec.RequestHash != hash:
				return apperr.IdempotencyKeyReused()
			}
			c.Response().Header().Set(replayedHeader, "true")
			return c.Blob(rec.ResponseStatus, echo.MIMEApplicationJSON, rec.ResponseBody)
		}
		tw := &teeWriter{ResponseWriter: c.Response().Writer}
		c.Response().Writer = tw
		if err := next(c); err != nil {
			c.Error(err)
		}
		// The record is finished even if the client went away, so a retry gets the answer.
		bg := context.WithoutCancel(ctx)
		// Like stripe-go's servers: a request refused before it ran (bad input, conflicts, rate limits)
		// or failed on our side is forgotten, so a corrected retry may reuse the key.
		status := c.Response().Status
		if status >= 300 && status != http.StatusPaymentRequired {
			err = s.d.Idempotency.Abort(bg, scope, key)
		} else {
			err = s.d.Idempotency.Finish(bg, scope, key, status, tw.buf.Bytes())
		}
		if err != nil {
			s.d.Log.ErrorContext(ctx, "idempotency record not saved", "key", key, "err", err)
		}
		return nil
	}
}
