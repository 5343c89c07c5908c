package store

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// Survivor S08: a torn newest meta page (its checksum wrong, its page
// count garbage) is not trusted: the store opens on the other meta page,
// as bbolt itself would, instead of being refused as cut short.
func TestTornNewestMetaIsIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	if _, err := Create(path, testOptions()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := binary.NativeEndian
	ps := uint64(e.Uint32(data[boltPageHeader+8:]))
	newest := uint64(0)
	if e.Uint64(data[ps+boltPageHeader+48:]) > e.Uint64(data[boltPageHeader+48:]) {
		newest = ps
	}
	b := data[newest+boltPageHeader:]
	e.PutUint64(b[40:], 1<<40) // a torn write: checksum no longer matches
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatalf("Open with a torn newest meta page: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
