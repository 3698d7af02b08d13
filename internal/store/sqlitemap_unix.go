//go:build unix

package store

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"golang.org/x/sys/unix"
)

// fileMapping is the server's read-only mapping of the database file or of its WAL
// (sqlitewarm.go). It maps more than the file holds, twice its size, so that the file grows into
// it for a while; past that it is mapped anew.
type fileMapping struct {
	mu   sync.Mutex
	file *os.File
	data []byte
}

// sqliteMinMapping is the least the mapping covers: address space, not memory.
const sqliteMinMapping = 64 << 20

// mapFile maps f for touch and touchAll. The mapping itself touches no page.
func mapFile(f *os.File) (*fileMapping, error) {
	m := &fileMapping{file: f}
	if err := m.remap(0); err != nil {
		return nil, err
	}
	return m, nil
}

// remap maps the file anew, covering at least twice size, and leaves the old mapping to the caller.
func (m *fileMapping) remap(size int64) error {
	length := max(2*size, sqliteMinMapping)
	page := int64(os.Getpagesize())
	length = (length + page - 1) / page * page
	if int64(int(length)) != length {
		return fmt.Errorf("store: map %s: %d bytes do not fit the address space", m.file.Name(), length)
	}
	data, err := unix.Mmap(int(m.file.Fd()), 0, int(length), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("store: map %s: %w", m.file.Name(), err)
	}
	m.data = data
	return nil
}

// touch reads a byte of every memory page of each database page in pages (numbered from 1, of
// pageSize bytes) through the mapping, so that each is mapped into the server, and returns how
// many it touched. Pages past the file's end (still only in the WAL) wait for a later pass.
func (m *fileMapping) touch(pages []uint32, pageSize int) (touched int, err error) {
	err = m.touchEach(func(size int64, read func(start, end int64)) {
		for _, p := range pages {
			start := int64(p-1) * int64(pageSize)
			if p == 0 || start+int64(pageSize) > size {
				continue
			}
			read(start, start+int64(pageSize))
			touched++
		}
	})
	return touched, err
}

// touchAll touches every page of the file, and returns how many memory pages that was.
func (m *fileMapping) touchAll() (touched int, err error) {
	page := int64(os.Getpagesize())
	err = m.touchEach(func(size int64, read func(start, end int64)) {
		read(0, size)
		touched = int((size + page - 1) / page)
	})
	return touched, err
}

// touchEach maps the file anew if it has outgrown the mapping, then lets visit read ranges of the
// file's current size through the mapping, a byte of every memory page.
func (m *fileMapping) touchEach(visit func(size int64, read func(start, end int64))) (err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fi, err := m.file.Stat()
	if err != nil {
		return fmt.Errorf("store: map %s: %w", m.file.Name(), err)
	}
	size := fi.Size()
	if size > int64(len(m.data)) {
		// The old mapping goes once the new one is touched, so no page is left unmapped between.
		old := m.data
		if err := m.remap(size); err != nil {
			return err
		}
		defer unix.Munmap(old) //nolint:errcheck // nothing reads it any more
	}
	// A page the file no longer holds (SQLite truncated the WAL since its size was read) would
	// stop the process with SIGBUS; in this goroutine it panics instead, and is an error.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: map %s: %v", m.file.Name(), r)
		}
	}()
	step := int64(os.Getpagesize())
	var sink byte
	visit(size, func(start, end int64) {
		for at := start; at < end; at += step {
			sink += m.data[at]
		}
	})
	runtime.KeepAlive(sink) // so that the compiler keeps the reads
	return nil
}

// close unmaps the file (which stays open: it is not the mapping's to close).
func (m *fileMapping) close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return nil
	}
	err := unix.Munmap(m.data)
	m.data = nil
	return err
}
