package api

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"securelink/internal/apperr"
	"securelink/internal/domain"
)

// ListResponse is the envelope of every list.
type ListResponse[T any] struct {
	Object  string `json:"object" example:"list"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
}

func list[T any](data []T, more bool) ListResponse[T] {
	if data == nil {
		data = []T{}
	}
	return ListResponse[T]{Object: "list", Data: data, HasMore: more}
}

// pageParams reads ?limit=, ?starting_after= and ?ending_before=.
func pageParams(c echo.Context) (domain.Page, error) {
	p := domain.Page{Limit: domain.DefaultPageLimit, StartingAfter: c.QueryParam("starting_after"),
		EndingBefore: c.QueryParam("ending_before")}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > domain.MaxPageLimit {
			return p, apperr.Invalid("limit", "invalid_limit", "limit must be a whole number from 1 to %d.", domain.MaxPageLimit)
		}
		p.Limit = n
	}
	if len(p.StartingAfter) > 64 {
		return p, apperr.Invalid("starting_after", "invalid_cursor", "starting_after must be an id from a previous page.")
	}
	if len(p.EndingBefore) > 64 {
		return p, apperr.Invalid("ending_before", "invalid_cursor", "ending_before must be an id from a page.")
	}
	if p.StartingAfter != "" && p.EndingBefore != "" {
		return p, apperr.Invalid("ending_before", "conflicting_cursors", "Send starting_after or ending_before, not both.")
	}
	return p, nil
}

// parseTime reads an RFC 3339 time or a date (YYYY-MM-DD, taken as midnight UTC).
func parseTime(param, v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, apperr.Invalid(param, "invalid_time", "%s must be an RFC 3339 time such as 2026-12-31T23:59:00Z or a date such as 2026-12-31.", param)
}

// timePtr formats an optional time.
func timePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
