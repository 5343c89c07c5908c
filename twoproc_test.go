package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
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
	h := sampleHome(t, buildBinary(t))
	app := startApp(t, h)
	if !app.screen.waitFor("Northwind", 10*time.Second) {
		t.Fatalf("the app did not draw its partners:\n%s", app.screen.String())
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
	app.quit(t)
	checkStore(t, h.store)
}

// Two apps on one store, both deciding in the same review: neither hangs,
// both decisions are kept, and the store passes its check.
func TestTwoAppsOnOneStore(t *testing.T) {
	h := sampleHome(t, buildBinary(t))
	a, b := startApp(t, h), startApp(t, h)
	for _, app := range []*appProcess{a, b} {
		if !app.screen.waitFor("Northwind", 10*time.Second) {
			t.Fatalf("an app did not draw its partners:\n%s", app.screen.String())
		}
	}
	// a starts the review of the last quarter and accepts its first move
	// (Brightpath's promotion); b, on the Review tab after that, resumes
	// the same review with its cursor on the first undecided move
	// (Clearwater's), and accepts it.
	a.press(t, "2", "not reviewed")
	a.press(t, "\r", "moves decided")
	a.press(t, "a", "Accepted Brightpath Analytics")
	// The screen log holds what the renderer sent, changes only, so the
	// waits look for text drawn whole: a status, a name.
	b.press(t, "2", "Clearwater Cloudworks")
	b.press(t, "a", "Accepted Clearwater Cloudworks")
	a.quit(t)
	b.quit(t)
	checkStore(t, h.store)
	r := h.mustRun(t, "review", "--json")
	var review struct {
		Decided   int
		Proposals []struct{ ID, Kind, Decision string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &review); err != nil {
		t.Fatalf("review --json: %v\n%s", err, r.stdout)
	}
	var accepted []string
	for _, p := range review.Proposals {
		if (p.Kind == "promote" || p.Kind == "demote") && p.Decision == "accepted" {
			accepted = append(accepted, p.ID)
		}
	}
	if want := []string{"brightpath-analytics", "clearwater-cloudworks"}; review.Decided != 2 || !slices.Equal(accepted, want) {
		t.Errorf("decided %d, accepted %v; want both apps' accepts %v", review.Decided, accepted, want)
	}
}

// appProcess is the app running on a pseudo-terminal, its screen logged.
type appProcess struct {
	cmd    *exec.Cmd
	master *os.File
	screen *screenLog
}

func startApp(t *testing.T, h *home) *appProcess {
	t.Helper()
	if openPTY == nil {
		t.Skip("no pseudo-terminal on this platform")
	}
	master, slave, err := openPTY()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	app := &appProcess{cmd: h.cmd(), master: master, screen: &screenLog{}}
	app.cmd.Stdin, app.cmd.Stdout, app.cmd.Stderr = slave, slave, slave
	app.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := app.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close()
	t.Cleanup(func() {
		_ = app.cmd.Process.Kill()
		_ = app.cmd.Wait()
		master.Close()
	})
	go app.screen.copy(master)
	return app
}

// send types keys into the app; a pause between keys keeps an escape
// from being read as alt with the next key.
func (a *appProcess) send(t *testing.T, keys string) {
	t.Helper()
	if _, err := a.master.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
}

// quit presses q and waits for the app to exit cleanly.
// press sends keys and waits for want on the screen.
func (a *appProcess) press(t *testing.T, keys, want string) {
	t.Helper()
	a.send(t, keys)
	if !a.screen.waitFor(want, hangGuard) {
		t.Fatalf("after %q, no %q on the screen:\n%s", keys, want, a.screen.String())
	}
}

func (a *appProcess) quit(t *testing.T) {
	t.Helper()
	a.send(t, "q")
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the app: %v\n%s", err, a.screen.String())
		}
	case <-time.After(hangGuard):
		t.Fatalf("the app did not quit on q")
	}
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
