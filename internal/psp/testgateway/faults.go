package testgateway

import (
	"net/http"
	"time"
)

// DefaultHold is how long a TimeoutAfterCharge fault holds a response back when Faults.Hold is zero.
const DefaultHold = 30 * time.Second

// Faults are switches that make the gateway misbehave on purpose, for tests of SecureLink's
// handling of unknown outcomes. They apply to the server-to-server payment routes only
// (not to tokenisation, the 3-D Secure page, the ledger or the fault switches themselves).
type Faults struct {
	// Delay is waited before every payment request is handled.
	Delay time.Duration
	// Release, when set, holds every payment request back until it is closed (or the request
	// ends): a test holds a call at the provider, checks what the product does meanwhile and then
	// lets it go, instead of guessing a Delay. In-process only; the fault route does not set it.
	Release <-chan struct{}
	// FailNext answers the next FailNext payment requests with 500 without doing anything.
	FailNext int
	// TimeoutAfterCharge makes the next TimeoutAfterCharge writes (create, capture, void, refund)
	// happen and be recorded, then holds the response back until the client gives up, Hold passes
	// or the Server is closed.
	TimeoutAfterCharge int
	// Hold bounds a TimeoutAfterCharge stall; zero means DefaultHold.
	Hold time.Duration
}

// faultsJSON is Faults on the wire, with durations in milliseconds.
type faultsJSON struct {
	DelayMS            int64 `json:"delay_ms"`
	FailNext           int   `json:"fail_next"`
	TimeoutAfterCharge int   `json:"timeout_after_charge"`
	HoldMS             int64 `json:"hold_ms"`
}

func (f Faults) toJSON() faultsJSON {
	return faultsJSON{DelayMS: f.Delay.Milliseconds(), FailNext: f.FailNext, TimeoutAfterCharge: f.TimeoutAfterCharge, HoldMS: f.Hold.Milliseconds()}
}

// SetFaults replaces the fault switches; SetFaults(Faults{}) turns them all off.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// CurrentFaults returns the fault switches in force (counters count down as faults fire).
func (s *Server) CurrentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// serverToServer applies the Delay, Release and FailNext faults before a payment route runs.
func (s *Server) serverToServer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		delay, release := s.faults.Delay, s.faults.Release
		fail := s.faults.FailNext > 0
		if fail {
			s.faults.FailNext--
		}
		s.mu.Unlock()

		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			case <-s.closed:
			}
		}
		if release != nil {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			case <-s.closed:
			}
		}
		if fail {
			writeError(w, &apiError{Status: http.StatusInternalServerError, Type: typeAPI, Code: "fault_injected",
				Message: "The gateway failed on purpose (FailNext fault); nothing was done."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// takeTimeoutFaultLocked reports whether this response is to be held back, counting the fault down.
func (s *Server) takeTimeoutFaultLocked() bool {
	if s.faults.TimeoutAfterCharge <= 0 {
		return false
	}
	s.faults.TimeoutAfterCharge--
	return true
}

// stall holds a response back until the client gives up, the hold passes or the Server closes.
func (s *Server) stall(r *http.Request) {
	s.mu.Lock()
	hold := s.faults.Hold
	s.mu.Unlock()
	if hold <= 0 {
		hold = DefaultHold
	}
	timer := time.NewTimer(hold)
	defer timer.Stop()
	select {
	case <-r.Context().Done():
	case <-timer.C:
	case <-s.closed:
	}
}

func (s *Server) handleGetFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.CurrentFaults().toJSON())
}

// handleSetFaults replaces the fault switches: {"delay_ms","fail_next","timeout_after_charge","hold_ms"}.
func (s *Server) handleSetFaults(w http.ResponseWriter, r *http.Request) {
	var req faultsJSON
	if aerr := readJSON(w, r, &req); aerr != nil {
		writeError(w, aerr)
		return
	}
	if req.DelayMS < 0 || req.FailNext < 0 || req.TimeoutAfterCharge < 0 || req.HoldMS < 0 {
		writeError(w, invalidRequest("parameter_invalid", "", "Fault switches must not be negative."))
		return
	}
	f := Faults{
		Delay: time.Duration(req.DelayMS) * time.Millisecond, FailNext: req.FailNext,
		TimeoutAfterCharge: req.TimeoutAfterCharge, Hold: time.Duration(req.HoldMS) * time.Millisecond,
	}
	s.SetFaults(f)
	writeJSON(w, http.StatusOK, f.toJSON())
}
