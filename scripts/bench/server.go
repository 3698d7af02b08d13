package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

// demoAccount is what `securelink demo --json` prints.
type demoAccount struct {
	MerchantID string `json:"merchant_id"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	APIKey     string `json:"api_key"`
	PortalURL  string `json:"portal_url"`
}

// productEnv is the environment every run of the binary gets: the bench database, the loopback
// address, the in-process test gateway, and warn-level logs so that writing one JSON line per
// request does not become what the benchmark measures.
func productEnv(databaseURL, addr string) []string {
	return append(os.Environ(),
		"DATABASE_URL="+databaseURL,
		"SECURELINK_ADDR="+addr,
		"SECURELINK_BASE_URL=http://"+addr,
		"SECURELINK_LOG_LEVEL=warn",
		"SECURELINK_SEED_DEMO=false",
		"SECURELINK_GATEWAY_URL=",
		// The bench measures the product's throughput, not the per-key limit that would stop it.
		"SECURELINK_API_RATE_LIMIT=0",
		"PSP=testgateway",
	)
}

// createDemo runs `<bin> demo --json` on the bench database and returns the new merchant.
func createDemo(ctx context.Context, bin, databaseURL, addr string) (demoAccount, error) {
	cmd := exec.CommandContext(ctx, bin, "demo", "--json")
	cmd.Env = productEnv(databaseURL, addr)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return demoAccount{}, fmt.Errorf("%s demo --json: %w\n%s", bin, err, stderr.Bytes())
	}
	var d demoAccount
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
		return demoAccount{}, fmt.Errorf("decode the output of demo --json (%q): %w", stdout.String(), err)
	}
	if d.APIKey == "" || d.MerchantID == "" {
		return demoAccount{}, fmt.Errorf("demo --json printed no api_key or merchant_id: %q", stdout.String())
	}
	return d, nil
}

// product is the running `securelink serve`.
type product struct {
	cmd     *exec.Cmd
	baseURL string
	exited  chan struct{}
	exitErr error
}

// freeLoopbackAddr asks the kernel for an unused loopback port. Another process could take it
// before the binary binds it; on loopback in a bench run that risk is accepted.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), nil
}

// startProduct starts `<bin> serve`, sending its output to logPath, and waits until /readyz
// answers 200.
func startProduct(ctx context.Context, bin, databaseURL, addr, pprofAddr, logPath string) (*product, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("create the server log: %w", err)
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = productEnv(databaseURL, addr)
	if pprofAddr != "" {
		cmd.Env = append(cmd.Env, "SECURELINK_PPROF_ADDR="+pprofAddr)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	p := &product{cmd: cmd, baseURL: "http://" + addr, exited: make(chan struct{})}
	go func() {
		p.exitErr = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	if err := p.waitReady(ctx, 60*time.Second); err != nil {
		p.stop()
		return nil, fmt.Errorf("%w (server output in %s)", err, logPath)
	}
	return p, nil
}

func (p *product) waitReady(ctx context.Context, limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			return fmt.Errorf("the server exited before it was ready: %v", p.exitErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(p.baseURL + "/readyz")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
	}
	return fmt.Errorf("the server was not ready within %s", limit)
}

// stop sends SIGTERM so the server shuts down gracefully, and kills it if it does not within 30 s.
func (p *product) stop() error {
	select {
	case <-p.exited:
		return p.exitErr
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal the server: %w", err)
	}
	select {
	case <-p.exited:
		return p.exitErr
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return errors.New("the server did not stop within 30 s of SIGTERM and was killed")
	}
}
