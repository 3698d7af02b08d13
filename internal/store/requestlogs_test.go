package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"securelink/internal/domain"
	"securelink/internal/merchants"
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

// TestPurgeOfManyRows: a purge that finds more rows than one of SQLite's short deletes takes goes
// on until none is left, and keeps what is younger than the cut; on SQLite in several writes, so
// that payers never wait for all of it.
func TestPurgeOfManyRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m := newMerchant(t, db)
		now := time.Now().UTC()
		l := &requestlog.Log{Store: &store.RequestLogs{DB: db}, Now: func() time.Time { return now }}
		const old, young = 1234, 3
		for i := range old + young {
			at := now.Add(-requestlog.Retention - time.Hour)
			if i >= old {
				at = now.Add(-time.Hour)
			}
			l.Record(requestlog.Entry{MerchantID: m.ID, APIKeyID: "key_1", Method: "GET", Path: "/api/v1/invoices", Status: 200,
				RequestID: "req_x", APIVersion: domain.APIVersionLatest, CreatedAt: at})
		}
		if n, err := l.Flush(ctx); err != nil || n != old+young {
			t.Fatalf("flush: %d, %v", n, err)
		}
		before, _ := db.SQLiteStats()
		if n, err := l.Purge(ctx); err != nil || n != old {
			t.Fatalf("purge: %d, %v; want %d", n, err, old)
		}
		if after, ok := db.SQLiteStats(); ok && after.Granted-before.Granted < 3 {
			t.Errorf("%d rows purged in %d turn(s) at the writer, want several short ones", old, after.Granted-before.Granted)
		}
		left, _, err := l.List(ctx, m.ID, requestlog.Filter{Page: domain.Page{Limit: 10}})
		if err != nil || len(left) != young {
			t.Fatalf("left %d entries (%v), want the %d younger than the retention", len(left), err, young)
		}
	})
}

// TestPurgesOfSessionsAndFailedLogins: the hourly purges take ended sessions (expired or revoked
// before the cut) and old failed logins, and leave the rest.
func TestPurgesOfSessionsAndFailedLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := &store.Merchants{DB: db}
		m := newMerchant(t, db)
		var userID string
		if err := db.Gorm.Raw("SELECT id FROM users WHERE merchant_id = ?", m.ID).Scan(&userID).Error; err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		cut := now.Add(-time.Hour)
		session := func(expires time.Time) string {
			ses := merchants.Session{ID: domain.NewID("ses"), UserID: userID, MerchantID: m.ID, CreatedAt: now.Add(-48 * time.Hour), ExpiresAt: expires}
			if err := s.CreateSession(ctx, ses); err != nil {
				t.Fatal(err)
			}
			return ses.ID
		}
		session(cut.Add(-time.Minute)) // expired before the cut
		revoked := session(now.Add(time.Hour))
		if err := s.RevokeSession(ctx, revoked, cut.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		active := session(now.Add(time.Hour))
		if n, err := s.PurgeSessions(ctx, cut); err != nil || n != 2 {
			t.Fatalf("purged %d sessions (%v), want the expired and the revoked one", n, err)
		}
		if _, err := s.ActiveSession(ctx, active, now); err != nil {
			t.Errorf("the active session is gone: %v", err)
		}

		for _, at := range []time.Time{cut.Add(-3 * time.Hour), cut.Add(-2 * time.Hour), cut.Add(-time.Minute), now} {
			if err := s.RecordAuthFailure(ctx, "login:a@example.com", at); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.PurgeAuthFailures(ctx, cut); err != nil || n != 3 {
			t.Fatalf("purged %d failed logins (%v), want 3", n, err)
		}
		if n, err := s.CountAuthFailures(ctx, "login:a@example.com", time.Time{}); err != nil || n != 1 {
			t.Errorf("%d failed logins left (%v), want the recent one", n, err)
		}
	})
}
