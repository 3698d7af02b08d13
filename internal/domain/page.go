package domain

// Page asks for one page of a newest-first list: at most Limit items with ids below StartingAfter
// (the next, older page), or the Limit items just above EndingBefore (the previous, newer page).
// The page is newest first either way; at most one of the two cursors is set.
type Page struct {
	Limit         int
	StartingAfter string
	EndingBefore  string
}

// List limits.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)
