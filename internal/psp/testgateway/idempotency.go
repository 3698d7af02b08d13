package testgateway

import (
	"crypto/sha256"
	"encoding/json"
	"net/http"
)

// maxIdempotencyKeyLen caps the Idempotency-Key header.
const maxIdempotencyKeyLen = 255

// idemRecord is the stored answer to the first request made with an idempotency key.
type idemRecord struct {
	fingerprint [sha256.Size]byte // method, path and body of that request
	status      int
	body        []byte
}

func fingerprint(r *http.Request, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
	h.Write(body)
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// operation is a money-moving write; it runs with s.mu held so it sees and changes state atomically.
type operation func(r *http.Request, body []byte, key string) result

// idempotent runs a write at most once per Idempotency-Key: the same key with the same request
// replays the stored answer (header Idempotent-Replayed: true); the same key with another request is
// refused with 422. The key is required, since every SecureLink request carries one.
func (s *Server) idempotent(op operation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		switch {
		case key == "":
			writeError(w, invalidRequest("idempotency_key_missing", "Idempotency-Key", "Send an Idempotency-Key header with every write."))
			return
		case len(key) > maxIdempotencyKeyLen:
			writeError(w, invalidRequest("parameter_invalid", "Idempotency-Key", "The Idempotency-Key may have at most 255 characters."))
			return
		}
		body, aerr := readBody(w, r)
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		fp := fingerprint(r, body)

		s.mu.Lock()
		if rec, ok := s.idem[key]; ok {
			s.mu.Unlock()
			if rec.fingerprint != fp {
				writeError(w, &apiError{Status: http.StatusUnprocessableEntity, Type: typeIdempotency, Code: "idempotency_key_reused",
					Message: "This Idempotency-Key was used with a different request."})
				return
			}
			w.Header().Set("Idempotent-Replayed", "true")
			writeRaw(w, rec.status, rec.body)
			return
		}
		res := op(r, body, key)
		encoded, err := json.Marshal(res.body)
		if err != nil {
			s.mu.Unlock()
			writeError(w, &apiError{Status: http.StatusInternalServerError, Type: typeAPI, Code: "internal", Message: "The answer could not be encoded."})
			return
		}
		if res.executed {
			s.idem[key] = &idemRecord{fingerprint: fp, status: res.status, body: encoded}
		}
		stall := res.executed && s.takeTimeoutFaultLocked()
		s.mu.Unlock()

		if stall {
			s.stall(r)
		}
		writeRaw(w, res.status, encoded)
	})
}
