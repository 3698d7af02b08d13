package validate

import (
	"net"
	"net/netip"
	"net/url"
	"strings"

	"securelink/internal/apperr"
)

// MaxReturnURLLength bounds a success or cancel URL, leaving room for the parameters the checkout adds.
const MaxReturnURLLength = 1500

// ReturnURL checks an optional address a payer is sent back to after paying or cancelling
// (success_url, cancel_url): absolute https (http only on a loopback host, for development), a host,
// no user name or password, at most MaxReturnURLLength characters. The checkout only ever redirects
// to an address that passed this check and was stored with the invoice or link, so nothing the payer
// sends can turn it into an open redirect. An empty value is allowed and stays empty.
func ReturnURL(param, raw string) (string, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return "", nil
	}
	if len(v) > MaxReturnURLLength {
		return "", apperr.Invalid(param, "too_long", "%s must have at most %d characters.", param, MaxReturnURLLength)
	}
	if err := Text(param, v, 0, MaxReturnURLLength); err != nil {
		return "", err
	}
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" || strings.ContainsAny(v, " \\") {
		return "", apperr.Invalid(param, "invalid_url", "%s must be an absolute URL such as https://shop.example/thanks.", param)
	}
	if u.User != nil {
		return "", apperr.Invalid(param, "invalid_url", "%s must not contain a user name or password.", param)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return "", apperr.Invalid(param, "insecure_url", "%s must use https (http is allowed only for localhost).", param)
		}
	default:
		return "", apperr.Invalid(param, "invalid_url", "%s must be an https URL.", param)
	}
	return u.String(), nil
}

// isLoopbackHost reports whether a URL's host is this machine: localhost or a loopback address.
func isLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.IsLoopback()
	}
	return net.ParseIP(h) != nil && net.ParseIP(h).IsLoopback()
}
