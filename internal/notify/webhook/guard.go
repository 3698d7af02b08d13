package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned when an endpoint resolves to an address webhooks may not reach.
var ErrForbiddenAddress = errors.New("webhook: address not allowed")

// nonPublic lists ranges that are not the public internet beyond what net/netip classifies:
// carrier-grade NAT, "this network", IETF protocol assignments, benchmarking, documentation,
// reserved and broadcast, and NAT64 (which would reach IPv4 private space).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// Guard decides which addresses webhooks may reach.
type Guard struct {
	// AllowPrivate lets webhooks reach private, loopback and link-local addresses (tests, on-premises).
	AllowPrivate bool
	// Resolver looks hosts up; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// Allowed reports whether a webhook may connect to ip.
func (g Guard) Allowed(ip netip.Addr) bool {
	if g.AllowPrivate {
		return ip.IsValid()
	}
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// URLError says why an endpoint URL is refused.
type URLError struct {
	Code    string
	Message string
}

func (e *URLError) Error() string { return e.Message }

// CheckURL validates an endpoint URL: http or https, a host, no credentials, and every address the
// host resolves to allowed.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return &URLError{Code: "invalid_url", Message: "url must be an absolute http:// or https:// URL."}
	}
	if u.User != nil {
		return &URLError{Code: "invalid_url", Message: "url must not contain a user name or password."}
	}
	if u.Fragment != "" {
		return &URLError{Code: "invalid_url", Message: "url must not contain a fragment (#…)."}
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !g.Allowed(ip) {
			return &URLError{Code: "url_not_allowed", Message: "url points to a private, loopback or otherwise non-public address."}
		}
		return nil
	}
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		if !g.AllowPrivate {
			return &URLError{Code: "url_not_allowed", Message: "url points to a private, loopback or otherwise non-public address."}
		}
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return &URLError{Code: "url_unresolvable", Message: fmt.Sprintf("url host %q could not be resolved.", host)}
	}
	for _, a := range addrs {
		if !g.Allowed(a) {
			return &URLError{Code: "url_not_allowed", Message: "url resolves to a private, loopback or otherwise non-public address."}
		}
	}
	return nil
}

// control refuses a connection to a forbidden address at dial time, after DNS resolution, so a host
// that changed its DNS answer since the endpoint was created still cannot reach private networks.
func (g Guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	if !g.Allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ap.Addr())
	}
	return nil
}
