package domain

import "slices"

// API versions are dates. Every API key is pinned to the version that was current when it was
// created; a request may ask for another with the API-Version header. A change that could break an
// integration ships under a new date, so a pinned integration keeps the answers it was written for.
const (
	// APIVersionFirst is the first published contract; keys created before versions existed are
	// pinned to it.
	APIVersionFirst = "2026-11-25"
	// APIVersionLatest is the version new keys are pinned to. It added ending_before, expand[],
	// per-key rate limits and the request log, none of which changes an answer of the first version.
	APIVersionLatest = "2026-12-02"
)

// APIVersions lists every version the API answers, oldest first.
var APIVersions = []string{APIVersionFirst, APIVersionLatest}

// ValidAPIVersion reports whether v is a known API version.
func ValidAPIVersion(v string) bool { return slices.Contains(APIVersions, v) }
