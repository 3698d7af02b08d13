package store

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// sqliteLockedForWriting tells whether SQLite's connections hold a lock on the database file that a
// writer in another process would have to wait for. POSIX locks belong to the process, so it asks
// with an open-file-description lock, which conflicts with the process's own POSIX locks too.
func sqliteLockedForWriting(t *testing.T, f *os.File) bool {
	t.Helper()
	const pendingByte = 0x40000000 // SQLite's lock bytes: pending, reserved, then the shared range
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0, Start: pendingByte, Len: 512}
	if err := unix.FcntlFlock(f.Fd(), unix.F_OFD_GETLK, &lk); err != nil {
		t.Fatal(err)
	}
	return lk.Type != unix.F_UNLCK
}

func TestSyncingTheFilesKeepsSQLiteLocks(t *testing.T) {
	g, s := openScratchSQLite(t)
	if err := g.Exec("INSERT INTO notes (body) VALUES ('kept')").Error; err != nil {
		t.Fatal(err)
	}
	// The probe's descriptor stays open until the server has closed: closing it would drop the locks.
	probe, err := os.Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { probe.Close() })
	if !sqliteLockedForWriting(t, probe) {
		t.Fatal("SQLite holds no lock on the database file before the sync; the probe cannot tell")
	}
	for range 3 {
		if err := s.syncFiles(); err != nil {
			t.Fatal(err)
		}
	}
	if !sqliteLockedForWriting(t, probe) {
		t.Error("syncing the files dropped SQLite's locks on the database file")
	}
	var body string
	if err := g.Raw("SELECT body FROM notes").Scan(&body).Error; err != nil || body != "kept" {
		t.Errorf("row = %q (%v), want kept", body, err)
	}
}
