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
		if actorOf(c).Livemode {
			// A portal session may use one key in both modes: each mode keeps its own answers.
			caller += " live"
		}
		scope := caller + " " + r.Method + " " + r.URL.Path
		ctx := r.Context()
		lease := s.idempotencyLease()
		rec, started, err := s.d.Idempotency.Begin(ctx, scope, key, hash, time.Now().UTC().Truncate(time.Microsecond), lease)
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
		// The bg context outlives the client, so the record is finished even if the client went away
		// and a retry gets the answer.
		bg := context.WithoutCancel(ctx)
		stopRenewing := s.renewLease(bg, scope, key, rec.Claim, lease)
		if err := next(c); err != nil {
			c.Error(err)
		}
		stopRenewing()
		// Like stripe-go's servers: a request refused before it ran (bad input, conflicts, rate limits)
		// or failed on our side is forgotten, so a corrected retry may reuse the key.
		status := c.Response().Status
		if status >= 300 && status != http.StatusPaymentRequired {
			err = s.d.Idempotency.Abort(bg, scope, key, rec.Claim)
		} else {
			err = s.d.Idempotency.Finish(bg, scope, key, rec.Claim, status, tw.buf.Bytes())
		}
		if err != nil {
			s.d.Log.ErrorContext(ctx, "idempotency record not saved", "key", key, "err", err)
		}
		return nil
	}
}

func (s *Server) idempotencyLease() time.Duration {
	if s.d.IdempotencyLease > 0 {
		return s.d.IdempotencyLease
	}
	return idempotency.DefaultLease
}

// renewLease keeps the key of a request that is still running: every third of the lease it pushes the
// lease on, so only a request that died lets its key go. The returned function stops it.
func (s *Server) renewLease(ctx context.Context, scope, key, claim string, lease time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				held, err := s.d.Idempotency.Renew(ctx, scope, key, claim, now.UTC().Add(lease))
				if err != nil {
					s.d.Log.WarnContext(ctx, "idempotency lease not renewed", "key", key, "err", err)
				} else if !held {
					s.d.Log.WarnContext(ctx, "idempotency key taken over while its request ran", "key", key)
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
