package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// TestVersion: a store's version stays put while nothing is written, and
// moves on with any write, and with a restore that puts another file in
// its place.
func TestVersion(t *testing.T) {
	s := seeded(t)
	version := func() Version {
		t.Helper()
		v, err := s.Version()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	v0 := version()
	if !v0.Same(snap.Version) || !v0.Same(version()) {
		t.Fatal("the version of an unchanged store moved")
	}
	if _, err := s.Partners(); err != nil {
		t.Fatal(err)
	}
	if !v0.Same(version()) {
		t.Error("a read moved the version")
	}
	if (Version{}).Same(Version{}) || v0.Same(Version{}) {
		t.Error("the zero Version is the same as another")
	}

	if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q3, Values: map[string]float64{"registered_deals": 1}}}); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1.Same(v0) {
		t.Error("a write left the version as it was")
	}
	// On a file system whose clock is coarser than the writes, a write
	// within the same tick of the same size leaves the file as it looked:
	// the transaction id still tells.
	if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q3, Values: map[string]float64{"registered_deals": 2}}}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(s.Path(), v1.file.ModTime(), v1.file.ModTime()); err != nil {
		t.Fatal(err)
	}
	if v := version(); v.file.Size() != v1.file.Size() {
		t.Fatalf("the second write grew the file (%d → %d bytes): no test of the id", v1.file.Size(), v.file.Size())
	} else if v.Same(v1) {
		t.Error("a write at the same size and time left the version as it was")
	}
	v1 = version()

	// A backup of this state, restored, is another file.
	backup := s.Path() + ".copy"
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(s.Path(), backup, testOptions()); err != nil {
		t.Fatal(err)
	}
	if version().Same(v1) {
		t.Error("a restored file has the version of the file it replaced")
	}
}

// TestVersionOfAFileCopiedOver: another store copied over the file keeps
// its inode and may have reached the same transaction id; it is another
// version all the same.
func TestVersionOfAFileCopiedOver(t *testing.T) {
	dir := t.TempDir()
	mk := func(name, partner string) *Store {
		s, err := Create(filepath.Join(dir, name), testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PutPartners([]model.Partner{{ID: "p1", Name: partner, Tier: "registered", Track: "reseller", Joined: testNow}}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := mk("partnertiers.db", "Old Name"), mk("other.db", "New Name")
	snap, err := a.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(b.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(a.Path(), data, 0o600); err != nil { // as cp does: the same inode
		t.Fatal(err)
	}
	// The copy's time: a second later, whatever the file system's clock
	// resolution (the two files are the same size).
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(a.Path(), later, later); err != nil {
		t.Fatal(err)
	}
	v, err := a.Version()
	if err != nil {
		t.Fatal(err)
	}
	if v.Same(snap.Version) {
		t.Error("a store copied over the file is the same version")
	}
}
