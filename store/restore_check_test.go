package store

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"os"
	"strings"
	"testing"
)

// Survivor S03: a backup with a sound header that fails bbolt's
// consistency check (one page past the old high-water mark, neither
// reachable nor freed) is refused and the store is left alone.
func TestRestoreRefusesInconsistentSource(t *testing.T) {
	s, good := backedUp(t)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	e := binary.NativeEndian
	ps := uint64(e.Uint32(data[boltPageHeader+8:]))
	data = append(data, make([]byte, ps)...) // one more page
	for _, off := range []uint64{0, ps} {
		b := data[off+boltPageHeader : off+boltPageHeader+boltMetaSize]
		e.PutUint64(b[40:], uint64(len(data))/ps)
		h := fnv.New64a()
		h.Write(b[:boltMetaSum])
		e.PutUint64(b[boltMetaSum:], h.Sum64())
	}
	bad := good + ".inconsistent"
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	_, err = Restore(s.Path(), bad, testOptions())
	if err == nil || !strings.Contains(err.Error(), "fails its consistency check") {
		t.Fatalf("Restore of an inconsistent backup: %v, want a consistency check failure", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
		t.Error("a refused restore changed the store")
	}
}
