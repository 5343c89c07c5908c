package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	bolterrors "go.etcd.io/bbolt/errors"
)

// A write that does not fit in the store (a full disk, played by
// Options.MaxSize) fails with a clear error and writes nothing; the store
// still opens, passes its check and takes writes that fit.
func TestFullStoreWritesNothing(t *testing.T) {
	s := seeded(t)
	opts := testOptions()
	opts.MaxSize = 512 << 10
	small, err := Open(s.Path(), opts)
	if err != nil {
		t.Fatal(err)
	}
	before, err := small.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	logBefore, err := small.Imports()
	if err != nil {
		t.Fatal(err)
	}

	var r strings.Builder
	r.WriteString("name,track,tier,joined,domains,aliases\n")
	for i := range 20_000 {
		fmt.Fprintf(&r, "Overflow Partner %d,reseller,silver,2024-01-01,o%d.example,Overflow Alias %d\n", i, i, i)
	}
	_, err = small.ImportPartners("overflow.csv", []byte(r.String()), testProgram(), ImportOptions{})
	if !errors.Is(err, ErrFull) || !errors.Is(err, bolterrors.ErrMaxSizeReached) {
		t.Fatalf("import into a full store: %v, want ErrFull wrapping ErrMaxSizeReached", err)
	}
	want := "store " + s.Path() + " is full (database reached maximum size): nothing of this change was written; free some disk space and try again"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\ndoes not say %q", err, want)
	}
	if st, err := os.Stat(s.Path()); err != nil || st.Size() > int64(opts.MaxSize) {
		t.Errorf("store grew past its limit: %v, %v", st.Size(), err)
	}

	again, err := Open(s.Path(), testOptions())
	if err != nil {
		t.Fatalf("reopen after a full write: %v", err)
	}
	if err := again.Check(); err != nil {
		t.Fatal(err)
	}
	after, err := again.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, after, before) // the failed import left nothing behind
	if logAfter, _ := again.Imports(); len(logAfter) != len(logBefore) {
		t.Errorf("import log: %d entries, was %d", len(logAfter), len(logBefore))
	}
	if _, err := small.ImportPartners("one.csv", []byte("name,track,tier,joined\nFits Fine,reseller,silver,2024-01-01\n"), testProgram(), ImportOptions{}); err != nil {
		t.Errorf("a write that fits, after a full one: %v", err)
	}
}
