package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/requestlog"
	"securelink/internal/store"
	"securelink/internal/store/storetest"
)

// TestRequestLogs: entries of one merchant page newest first both ways, the failed filter keeps
// 4xx and 5xx, and the purge removes only entries past the retention.
func TestRequestLogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m, other := newMerchant(t, db), newMerchant(t, db)
		now := time.Now().UTC()
		l := &requestlog.Log{Store: &store.RequestLogs{DB: db}, Now: func() time.Time { return now }}
		statuses := []int{201, 200, 404, 200, 500}
		for i, st := range statuses {
			l.Record(requestlog.Entry{MerchantID: m.ID, APIKeyID: "key_1", Method: "GET", Path: "/api/v1/invoices", Status: st,
				RequestID: "req_" + string(rune('a'+i)), APIVersion: domain.APIVersionLatest, Duration: 3 * time.Millisecond})
		}
		l.Record(requestlog.Entry{MerchantID: other.ID, APIKeyID: "key_2", Method: "GET", Path: "/api/v1/merchant", Status: 200,
			RequestID: "req_other", APIVersion: domain.APIVersionFirst, CreatedAt: now.Add(-31 * 24 * time.Hour)})
		if n, err := l.Flush(ctx); err != nil || n != 6 {
			t.Fatalf("flush: %d, %v", n, err)
		}
		all, more, err := l.List(ctx, m.ID, requestlog.Filter{Page: domain.Page{Limit: 10}})
		if err != nil || more || len(all) != 5 {
			t.Fatalf("list: %d entries, more %v, %v", len(all), more, err)
		}
		if all[0].RequestID != "req_e" || all[0].Status != 500 || all[4].RequestID != "req_a" || all[4].Duration != 3*time.Millisecond {
			t.Errorf("newest first: %+v … %+v", all[0], all[4])
		}
		back, more, _ := l.List(ctx, m.ID, requestlog.Filter{Page: domain.Page{Limit: 2, EndingBefore: all[3].ID}})
		if !more || len(back) != 2 || back[0].ID != all[1].ID || back[1].ID != all[2].ID {
			t.Errorf("ending_before %s: %v more=%v", all[3].ID, ids(back), more)
		}
		failed, _, _ := l.List(ctx, m.ID, requestlog.Filter{Failed: true, Page: domain.Page{Limit: 10}})
		if got := ids(failed); !slices.Equal(got, []string{all[0].ID, all[2].ID}) {
			t.Errorf("failed only = %v", got)
		}
		if n, err := l.Purge(ctx); err != nil || n != 1 {
			t.Errorf("purge: %d, %v (want only the 31-day-old entry)", n, err)
		}
	})
}

func ids(es []requestlog.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}
