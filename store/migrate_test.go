package store

import (
	"bytes"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// v1Store is a store of schema version 1 holding an open review.
func v1Store(t *testing.T) *Store {
	t.Helper()
	s := reviewStore(t)
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	r := model.StartReview(testProgram(), snap.Partners, snap.Production, q3, "dana", testNow)
	writeReviewV1(t, s.Path(), r)
	return s
}

// The migration from version 1 backs the store up beside itself first:
// the backup is the version 1 store, whole, and opens.
func TestMigrateFromV1KeepsABackup(t *testing.T) {
	s := v1Store(t)
	before, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(s.Path(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	backup := s.Path() + ".bak-v1-20261121T101500"
	if mig := m.Migration(); mig == nil || mig.Backup != backup {
		t.Fatalf("Migration() = %+v, want a backup at %s", mig, backup)
	}
	if st, err := os.Stat(backup); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup: %v, %v", st, err)
	}
	db, err := bolt.Open(backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			t.Errorf("backup: %v", e)
		}
		if v := tx.Bucket(bucketMeta).Get(keyVersion); string(v) != "1" {
			t.Errorf("backup has schema version %q, want 1", v)
		}
		if tx.Bucket(bucketReviews).Bucket([]byte(q3.String())).Bucket(keyEvidence) != nil {
			t.Error("the backup has the version 2 layout")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The backup is a copy, not a link: the migration left it alone.
	if after, _ := os.ReadFile(s.Path()); bytes.Equal(after, before) {
		t.Error("the store was not migrated")
	}
	// Restored, it migrates again.
	if _, err := Restore(s.Path(), backup, testOptions()); err != nil {
		t.Fatal(err)
	}
	again, err := Open(s.Path(), testOptions())
	if err != nil || again.Migration() == nil || again.Migration().From != 1 {
		t.Fatalf("Open of the restored version 1 store: %+v, %v", again.Migration(), err)
	}
}

// A migration that fails leaves the store as it was: one transaction.
func TestMigrationFailureWritesNothing(t *testing.T) {
	s := v1Store(t)
	db, err := bolt.Open(s.Path(), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The last proposal is not JSON: the migration fails after it has
	// rewritten the others.
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReviews).Bucket([]byte(q3.String())).Bucket(keyProposals)
		k, _ := b.Cursor().Last()
		return b.Put(k, []byte("{not json"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(s.Path(), testOptions())
	if err == nil || !strings.Contains(err.Error(), "migrate store "+s.Path()+" from version 1") {
		t.Fatalf("Open error = %v, want the migration's", err)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(after, before) {
		t.Error("the failed migration changed the store")
	}
}
