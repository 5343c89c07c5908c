package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/store"
)

// Every command that opens the store, on a store file that is empty, cut
// in half, not a bbolt file or from a newer partnertiers: a clear message
// naming the file, exit 1, no panic, no hang, and the file left as it was.
func TestBadStoreFiles(t *testing.T) {
	h := sampleHome(t, buildBinary(t))
	good, err := os.ReadFile(h.store)
	if err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(h.dir, "newer.db")
	copyFile(t, h.store, newer)
	db, err := bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte(strconv.Itoa(store.SchemaVersion+1)))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	newerData, err := os.ReadFile(newer)
	if err != nil {
		t.Fatal(err)
	}
	roster, err := os.ReadFile(filepath.Join(h.dir, "roster.csv"))
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "is empty (0 bytes), not a partnertiers store"},
		{"cut in half", good[:len(good)/2], "is not a partnertiers store, or is damaged: the file is cut short"},
		{"a CSV", roster, "is not a partnertiers store, or is damaged: no valid bbolt header"},
		{"random bytes", randomBytes(64 << 10), "is not a partnertiers store, or is damaged: no valid bbolt header"},
		{"newer schema", newerData, fmt.Sprintf("has schema version %d, newer than this partnertiers understands (%d): upgrade partnertiers", store.SchemaVersion+1, store.SchemaVersion)},
	}
	commands := [][]string{
		{}, // the app
		{"show", "northwind"},
		{"review"},
		{"review", "decide", "northwind", "accept"},
		{"review", "finalize"},
		{"import", "partners", "roster.csv"},
		{"import", "calendar", "calendar.ics"},
		{"align"},
		{"check"},
		{"export", "partners", "--format", "csv"},
		{"backup", "copy.db"},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			if err := os.WriteFile(h.store, f.data, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range commands {
				r := h.run(t, hangGuard, args...)
				name := strings.Join(append([]string{"partnertiers"}, args...), " ")
				want := "partnertiers: store " + h.store + " " + f.want
				if r.code != 1 || !strings.HasPrefix(r.stderr, want) || strings.Contains(r.stderr, "goroutine") {
					t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 1 and %q", name, r.code, r.stderr, want)
				}
				if f.name != "newer schema" && !strings.Contains(r.stderr, "restore a backup with `partnertiers restore FILE`") {
					t.Errorf("%s: no word on restoring a backup: %s", name, r.stderr)
				}
			}
			if data, _ := os.ReadFile(h.store); string(data) != string(f.data) {
				t.Error("a command changed the bad store file")
			}
		})
	}
}

// randomBytes is deterministic noise.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
