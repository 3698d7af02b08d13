package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// firstLoad is the checkout's first load on a throttled phone network, as frontend-pay/e2e/firstload.mjs
// measures it in Chromium: bytes on the wire, requests and the time until the total is on screen.
type firstLoad struct {
	Binary          string `json:"binary"`
	KBPS            int    `json:"kbps"`
	LatencyMS       int    `json:"latency_ms"`
	Runs            int    `json:"runs"`
	Bytes           int    `json:"bytes"`
	Requests        int    `json:"requests"`
	TotalOnScreenMS int    `json:"total_on_screen_ms"`
}

// firstLoadTargetBytes is the most the checkout's first load may put on the wire.
const firstLoadTargetBytes = 40 * 1024

// measureFirstLoad runs the script for bin; nil (with a note) when node, Chromium or the SPA's
// packages are missing.
func measureFirstLoad(ctx context.Context, repo, bin string) *firstLoad {
	dir := filepath.Join(repo, "frontend-pay")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		logf("first load skipped: frontend-pay/node_modules is missing (make npm-deps)")
		return nil
	}
	if _, err := exec.LookPath("node"); err != nil {
		logf("first load skipped: node is not installed")
		return nil
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		logf("first load skipped: %v", err)
		return nil
	}
	logf("first load of the checkout at 400 kbps / 400 ms with %s", bin)
	cmd := exec.CommandContext(ctx, "node", "e2e/firstload.mjs", "3")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SECURELINK_BIN="+abs)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		logf("first load failed: %v\n%s", err, errOut.String())
		return nil
	}
	var f firstLoad
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &f); err != nil {
		logf("first load: unreadable answer %q: %v", out.String(), err)
		return nil
	}
	f.Binary = bin
	return &f
}

// printFirstLoads writes the first-load figures, the earlier binary's first when there is one.
func printFirstLoads(w io.Writer, loads []*firstLoad) {
	if len(loads) == 0 {
		return
	}
	fmt.Fprintf(w, "\nCheckout first load at 360×740, %d kbps, %d ms latency (median of %d, Chromium network emulation)\n",
		loads[0].KBPS, loads[0].LatencyMS, loads[0].Runs)
	for _, f := range loads {
		fmt.Fprintf(w, "  %-40s %7.1f KB on the wire  %2d requests  total on screen after %5d ms\n",
			f.Binary, float64(f.Bytes)/1024, f.Requests, f.TotalOnScreenMS)
	}
	last := loads[len(loads)-1]
	printTargets(w, []targetCheck{check("checkout first load on the wire", "≤ 40 KB",
		fmt.Sprintf("%.1f KB", float64(last.Bytes)/1024), last.Bytes <= firstLoadTargetBytes)})
}
