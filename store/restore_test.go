package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// backedUp is a seeded store, a backup of it, and the store changed since.
func backedUp(t *testing.T) (s *Store, backup string) {
	t.Helper()
	s = seeded(t)
	backup = filepath.Join(t.TempDir(), "monday.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	if err := s.PutPartners([]model.Partner{{ID: "since-monday", Name: "Since Monday"}}); err != nil {
		t.Fatal(err)
	}
	return s, backup
}

func TestRestore(t *testing.T) {
	s, backup := backedUp(t)
	replaced, err := Restore(s.Path(), backup, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Path() + ".bak-replaced-20261121T101500"; replaced != want {
		t.Errorf("replaced store kept as %q, want %q", replaced, want)
	}
	// The store is the backup; the replaced store is kept and opens.
	if _, err := s.Partner("since-monday"); !errors.Is(err, ErrNotFound) {
		t.Errorf("restored store still has the later partner: %v", err)
	}
	if ps := mustPartners(t, s); len(ps) != 3 {
		t.Errorf("restored store has %d partners, want the backup's 3", len(ps))
	}
	old, err := Open(replaced, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Partner("since-monday"); err != nil {
		t.Errorf("the replaced store lost its data: %v", err)
	}
	for _, path := range []string{s.Path(), replaced} {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", path, st.Mode().Perm(), err)
		}
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
	if left, _ := filepath.Glob(s.Path() + ".tmp-*"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A second restore in the same second keeps both replaced stores.
	if again, err := Restore(s.Path(), backup, testOptions()); err != nil || again != replaced+"-2" {
		t.Errorf("second restore kept %q, %v", again, err)
	}
}

func TestRestoreIntoNewFolder(t *testing.T) {
	_, backup := backedUp(t)
	dir := filepath.Join(t.TempDir(), "fresh", "partnertiers")
	path := filepath.Join(dir, "partnertiers.db")
	replaced, err := Restore(path, backup, testOptions())
	if err != nil || replaced != "" {
		t.Fatalf("Restore = %q, %v", replaced, err)
	}
	for p, mode := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v; want %v", p, st.Mode().Perm(), err, mode)
		}
	}
	s, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if ps := mustPartners(t, s); len(ps) != 3 {
		t.Errorf("%d partners, want 3", len(ps))
	}
}

// A damaged store can be restored over: no partnertiers can be using it.
func TestRestoreOverDamagedStore(t *testing.T) {
	s, backup := backedUp(t)
	if err := os.Truncate(s.Path(), 100); err != nil {
		t.Fatal(err)
	}
	replaced, err := Restore(s.Path(), backup, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(replaced); err != nil || st.Size() != 100 {
		t.Errorf("the damaged store is not kept as it was: %v", err)
	}
	if ps := mustPartners(t, s); len(ps) != 3 {
		t.Errorf("%d partners, want 3", len(ps))
	}
}

func TestRestoreRefusesBadSource(t *testing.T) {
	s, good := backedUp(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	newer := write("newer.db", data)
	setVersion(t, newer, strconv.Itoa(SchemaVersion+1))
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct{ name, src, want string }{
		{"missing", filepath.Join(dir, "nope.db"), "restore: no file at " + filepath.Join(dir, "nope.db")},
		{"the store itself", s.Path(), "restore: " + s.Path() + " is the store itself"},
		{"empty", write("empty.db", nil), "restore: store " + filepath.Join(dir, "empty.db") + " is empty (0 bytes), not a partnertiers store"},
		{"a CSV", write("roster.csv", []byte(roster)), "restore: store " + filepath.Join(dir, "roster.csv") + " is not a partnertiers store, or is damaged: no valid bbolt header"},
		{"cut short", write("half.db", data[:len(data)/2]), "restore: store " + filepath.Join(dir, "half.db") + " is not a partnertiers store, or is damaged: the file is cut short"},
		{"newer", newer, "restore: store " + newer + fmt.Sprintf(" has schema version %d, newer than this partnertiers understands (%d): upgrade partnertiers", SchemaVersion+1, SchemaVersion)},
		{"another app's", foreign, "restore: store " + foreign + ` is not a partnertiers store (it holds a bucket "widgets")`},
	}
	before, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Restore(s.Path(), tt.src, testOptions())
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Restore error = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "restore a backup") {
				t.Errorf("the error about a backup advises restoring a backup: %v", err)
			}
			if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
				t.Error("a refused restore changed the store")
			}
			if left, _ := filepath.Glob(s.Path() + ".*"); len(left) > 0 {
				t.Errorf("files left beside the store: %v", left)
			}
		})
	}
}

// While another process is inside a transaction (holds bbolt's lock),
// restore waits at most its timeout, then refuses and changes nothing.
func TestRestoreRefusesStoreInUse(t *testing.T) {
	for _, readOnly := range []bool{true, false} {
		s, backup := backedUp(t)
		holder, err := bolt.Open(s.Path(), 0o600, &bolt.Options{ReadOnly: readOnly, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Restore(s.Path(), backup, testOptions())
		holder.Close()
		want := "restore: store " + s.Path() + " is in use: another partnertiers is reading or writing it; try again when it is done"
		if !errors.Is(err, ErrBusy) || err.Error() != want {
			t.Errorf("readOnly holder %v: Restore error = %v, want %q", readOnly, err, want)
		}
		if _, err := s.Partner("since-monday"); err != nil {
			t.Errorf("readOnly holder %v: the refused restore replaced the store: %v", readOnly, err)
		}
		if left, _ := filepath.Glob(s.Path() + ".*"); len(left) > 0 {
			t.Errorf("files left beside the store: %v", left)
		}
	}
}

// A writer that was waiting for the lock while the file was swapped
// writes to the new file, not to the replaced one.
func TestWriterWaitingDuringSwapWritesToNewFile(t *testing.T) {
	s, backup := backedUp(t)
	opts := testOptions()
	opts.Timeout = 5 * time.Second
	w, err := Open(s.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}
	// Stand in for restore: hold the lock on the current file...
	holder, err := bolt.Open(s.Path(), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- w.PutPartners([]model.Partner{{ID: "late", Name: "Late Writer"}}) }()
	// ...let the writer open the file and wait for the lock...
	time.Sleep(300 * time.Millisecond)
	// ...swap another store in and let go.
	tmp := s.Path() + ".swap"
	data, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, s.Path()); err != nil {
		t.Fatal(err)
	}
	holder.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Partner("late"); err != nil {
		t.Errorf("the write went to the replaced file: %v", err)
	}
}
