//go:build !unix

package store

import "os"

// fileMapping: on this platform the database file and its WAL are not mapped, and are left to
// the system's cache (sqlitewarm.go).
type fileMapping struct{}

func mapFile(*os.File) (*fileMapping, error) { return nil, errNoMapping }

func (*fileMapping) touch([]uint32, int) (int, error) { return 0, errNoMapping }

func (*fileMapping) touchAll() (int, error) { return 0, errNoMapping }

func (*fileMapping) close() error { return nil }
