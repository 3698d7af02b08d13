package domain

// Page asks for one page of a newest-first list: at most Limit items with ids below StartingAfter.
type Page struct {
	Limit         int
	StartingAfter string
}

// List limits.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 100
)
