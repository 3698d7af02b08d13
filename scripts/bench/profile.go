package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// profile fetches a CPU profile of the server over the scenario's measured time into
// <profileDir>/<key>.pprof (read it with `go tool pprof -top bin/securelink build/profiles/pay.pprof`).
// The returned func waits for it. Without -profile it does nothing.
func (s *cpuSampler) profile(ctx context.Context, key string, cfg loadConfig) (wait func()) {
	if s.pprofAddr == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		seconds := max(int(cfg.Duration.Seconds())-1, 1)
		url := fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", s.pprofAddr, seconds)
		select {
		case <-ctx.Done():
			return
		case <-time.After(cfg.Warmup):
		}
		if err := fetchTo(ctx, url, filepath.Join(s.profileDir, key+".pprof")); err != nil {
			logf("profile of %s: %v", key, err)
		}
	}()
	return func() { <-done }
}

func fetchTo(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
