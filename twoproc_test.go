package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/store"
)

// openPTY opens a pseudo-terminal pair where the platform has one.
var openPTY func() (master, slave *os.File, err error)

// hangGuard bounds every command of these tests: generous, a guard
// against a hang, not a timing test.
const hangGuard = 5 * time.Second

// A second-terminal home: the sample program.
func sampleHome(t *testing.T, bin string) *home {
	t.Helper()
	h := newHome(t, bin)
	h.mustRun(t, "init", "--sample")
	killFiles(t, h.dir) // files to import: roster.csv and calendar.ics
	return h
}

var lookups = [][]string{
	{"show", "northwind"},
	{"align", "--json"},
	{"review", "--json"},
	{"export", "partners", "--format", "csv"},
}

// With the app open on the store, lookups from another terminal answer at
// once and an import goes through; the app quits cleanly after.
func TestSecondTerminalBesideTheApp(t *testing.T) {
	if openPTY == nil {
		t.Skip("no pseudo-terminal on this platform")
	}
	h := sampleHome(t, buildBinary(t))
	master, slave, err := openPTY()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	defer master.Close()
	app := h.cmd()
	app.Stdin, app.Stdout, app.Stderr = slave, slave, slave
	app.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	defer func() { _ = app.Process.Kill(); _ = app.Wait() }()
	screen := &screenLog{}
	go screen.copy(master)
	if !screen.waitFor("Northwind", 10*time.Second) {
		t.Fatalf("the app did not draw its partners:\n%s", screen.String())
	}

	for _, args := range lookups {
		r := h.run(t, hangGuard, args...)
		if r.code != 0 {
			t.Errorf("%s beside the app: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if r := h.run(t, hangGuard, "import", "partners", "roster.csv"); r.code != 0 || !strings.Contains(r.stdout, "roster.csv: 2000 rows read, 2000 written") {
		t.Errorf("import beside the app: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := h.run(t, hangGuard, "review", "decide", "northwind", "accept"); r.code != 0 {
		t.Errorf("decision beside the app: exit %d\n%s", r.code, r.stderr)
	}

	if _, err := master.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the app: %v\n%s", err, screen.String())
		}
	case <-time.After(hangGuard):
		t.Fatalf("the app did not quit on q")
	}
	checkStore(t, h.store)
}

// While another process is inside a write transaction, reads and writes
// from the command line give up with "busy" within about a second; while
// another reads, lookups answer and writes give up with "busy".
func TestSecondTerminalBesideATransaction(t *testing.T) {
	h := sampleHome(t, buildBinary(t))
	// Listing a review starts it, a write: start it now.
	h.mustRun(t, "review")
	writes := [][]string{
		{"import", "partners", "roster.csv"},
		{"review", "decide", "northwind", "accept"},
	}
	busy := func(t *testing.T, args []string) {
		t.Helper()
		r := h.run(t, hangGuard, args...)
		want := "store " + h.store + " is busy: another partnertiers is"
		if r.code != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q", strings.Join(args, " "), r.code, r.stderr, want)
		}
	}
	for _, readOnly := range []bool{false, true} {
		t.Run(fmt.Sprintf("holder reads only %v", readOnly), func(t *testing.T) {
			// This test process stands in for the other partnertiers: it
			// takes the lock as a transaction of that kind does.
			holder, err := bolt.Open(h.store, 0o600, &bolt.Options{ReadOnly: readOnly, Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Close()
			for _, args := range lookups {
				if !readOnly {
					busy(t, args)
					continue
				}
				if r := h.run(t, hangGuard, args...); r.code != 0 {
					t.Errorf("%s beside a reader: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
				}
			}
			for _, args := range writes {
				busy(t, args)
			}
		})
	}
	checkStore(t, h.store)
}

// Several processes importing and deciding at once: each succeeds or says
// the store is busy, none hangs, and the store passes its check.
func TestConcurrentWritersNeverCorrupt(t *testing.T) {
	h := sampleHome(t, buildBinary(t))
	jobs := [][]string{
		{"import", "partners", "roster.csv"},
		{"import", "calendar", "calendar.ics"},
		{"review", "decide", "northwind", "accept"},
		{"review", "decide", "brightpath", "accept"},
		{"show", "northwind"},
		{"export", "partners", "--format", "json"},
	}
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for round := range rounds {
		var wg sync.WaitGroup
		results := make([]result, len(jobs))
		for i, args := range jobs {
			wg.Go(func() { results[i] = h.run(t, 2*time.Minute, args...) })
		}
		wg.Wait()
		for i, r := range results {
			if r.code != 0 && !strings.Contains(r.stderr, "is busy") {
				t.Errorf("round %d: %s: exit %d\n%s", round, strings.Join(jobs[i], " "), r.code, r.stderr)
			}
		}
		checkStore(t, h.store)
	}
}

func checkStore(t *testing.T, path string) {
	t.Helper()
	s, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// screenLog collects what the app writes to its terminal.
type screenLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screenLog) copy(f *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := f.Read(b)
		s.mu.Lock()
		s.buf.Write(b[:n])
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *screenLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor polls the screen for text; a hang guard, not a timing test.
func (s *screenLog) waitFor(text string, limit time.Duration) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(s.String(), text) {
			return true
		}
	}
	return false
}
