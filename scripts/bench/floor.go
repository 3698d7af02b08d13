package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// The floor of a payment: what the payments target's own rules make every payment do, with no
// product logic around it. The payer's browser tokenises the card at the gateway (one HTTP
// exchange), then calls pay (a second); pay stores the attempt before calling the PSP (one
// commit), calls the gateway over HTTP (a third exchange), and stores its answer (a second
// commit). Here those steps run in the bench process with net/http, encoding/json and one
// single-statement commit each, on a scratch table: no router, middleware, validation,
// idempotency record, invoice or link state, events, e-mails or ledger. No implementation of
// the product can pay faster than this on the same machine, so it tells what the "a third of
// the ceiling" target leaves for everything a real payment has to do.

// floorStack is the stand-in gateway and API; close stops both and drops the scratch table.
type floorStack struct {
	gatewayURL, apiURL string
	close              func(context.Context) error
}

// On SQLite the commits go through the bench's one connection to its scratch file, as the product's
// writes go through its one writer connection.
func startFloor(ctx context.Context, st benchStore, concurrency int) (*floorStack, error) {
	st, err := st.Scratch()
	if err != nil {
		return nil, err
	}
	if err := st.Exec(ctx, `CREATE TABLE bench_floor (
		id         `+st.Serial()+`,
		token      TEXT NOT NULL,
		status     TEXT NOT NULL,
		psp_ref    TEXT NOT NULL DEFAULT '')`); err != nil {
		return nil, fmt.Errorf("floor: create the scratch table: %w", err)
	}
	var tokens, charges atomic.Int64
	gateway := http.NewServeMux()
	gateway.HandleFunc("POST /tokens", func(w http.ResponseWriter, r *http.Request) {
		var card struct {
			Number string `json:"number"`
		}
		if err := json.NewDecoder(r.Body).Decode(&card); err != nil || card.Number == "" {
			http.Error(w, "bad card", http.StatusBadRequest)
			return
		}
		answerJSON(w, http.StatusCreated, map[string]string{"id": "tok_" + strconv.FormatInt(tokens.Add(1), 10)})
	})
	gateway.HandleFunc("POST /payments", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Token  string `json:"payment_token"`
			Amount int64  `json:"amount"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Token == "" {
			http.Error(w, "bad payment", http.StatusBadRequest)
			return
		}
		answerJSON(w, http.StatusOK, map[string]any{"id": "gp_" + strconv.FormatInt(charges.Add(1), 10), "status": "captured", "amount": in.Amount})
	})
	gatewaySrv, gatewayURL, err := serveLoopback(gateway)
	if err != nil {
		return nil, err
	}
	gatewayClient := &api{client: newClient(concurrency), baseURL: gatewayURL}
	payAPI := http.NewServeMux()
	payAPI.HandleFunc("POST /pay", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Token string `json:"payment_token"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Token == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var id int64
		if err := st.QueryRow(r.Context(), "INSERT INTO bench_floor (token, status) VALUES ($1, 'processing') RETURNING id", in.Token).Scan(&id); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body, _ := json.Marshal(map[string]any{"payment_token": in.Token, "amount": 1000, "reference": id})
		out, err := gatewayClient.do(r.Context(), http.MethodPost, "/payments", body, nil, http.StatusOK)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		var res struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if err := st.Exec(r.Context(), "UPDATE bench_floor SET status = $1, psp_ref = $2 WHERE id = $3", res.Status, res.ID, id); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		answerJSON(w, http.StatusOK, map[string]any{"id": id, "status": res.Status})
	})
	apiSrv, apiURL, err := serveLoopback(payAPI)
	if err != nil {
		_ = gatewaySrv.Close()
		return nil, err
	}
	return &floorStack{gatewayURL: gatewayURL, apiURL: apiURL, close: func(ctx context.Context) error {
		err := errors.Join(apiSrv.Shutdown(ctx), gatewaySrv.Shutdown(ctx))
		if dropErr := st.Exec(ctx, "DROP TABLE bench_floor"); dropErr != nil {
			err = errors.Join(err, fmt.Errorf("floor: drop the scratch table: %w", dropErr))
		}
		return err
	}}, nil
}

// floorOp is one payment through the floor stack, as the payer's browser makes it.
func (f *floorStack) floorOp(client *http.Client) op {
	gateway := &api{client: client, baseURL: f.gatewayURL}
	pay := &api{client: client, baseURL: f.apiURL}
	return func(ctx context.Context, _ int) (time.Duration, error) {
		out, err := gateway.do(ctx, http.MethodPost, "/tokens", cardBody, nil, http.StatusCreated)
		if err != nil {
			return 0, fmt.Errorf("floor tokenise: %w", err)
		}
		var tok struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(out, &tok); err != nil {
			return 0, fmt.Errorf("floor tokenise: %w", err)
		}
		body, _ := json.Marshal(map[string]any{"terms_accepted": true, "payment_token": tok.ID})
		began := time.Now()
		out, err = pay.do(ctx, http.MethodPost, "/pay", body, nil, http.StatusOK)
		took := time.Since(began)
		if err != nil {
			return took, fmt.Errorf("floor pay: %w", err)
		}
		var res struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(out, &res); err != nil || res.Status != "captured" {
			return took, fmt.Errorf("floor pay: answer %q", out)
		}
		return took, nil
	}
}

func serveLoopback(h http.Handler) (*http.Server, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("floor: listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return srv, "http://" + l.Addr().String(), nil
}

func answerJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
