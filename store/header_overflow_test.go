package store

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"
)

// A meta page whose high-water page id times the page size overflows
// uint64 passes checkHeader's "cut short" test: the product wraps to a
// small number. bbolt then trusts the page count (tx.Check walks every
// page id up to it, a write allocates past it).
func TestHeaderPageCountOverflowRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	s, err := Create(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	_ = s
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := binary.NativeEndian
	ps := uint64(e.Uint32(data[boltPageHeader+8:]))
	// Patch both meta pages so whichever bbolt picks carries the bad count.
	for _, off := range []uint64{0, ps} {
		b := data[off+boltPageHeader : off+boltPageHeader+boltMetaSize]
		pgid := e.Uint64(b[40:])
		// pgid' * ps == pgid * ps (mod 2^64)
		e.PutUint64(b[40:], pgid+(1<<64-1)/ps+1)
		h := fnv.New64a()
		h.Write(b[:boltMetaSum])
		e.PutUint64(b[boltMetaSum:], h.Sum64())
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, testOptions()); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open of a store whose page count overflows: %v, want ErrDamaged", err)
	}
}
