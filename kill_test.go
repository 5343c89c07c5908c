package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// The program of the kill tests: killN partners, the first killMoves at
// Silver with production far below it, so that the 2026-Q1 review demotes
// them (no grace) and holds the rest at Registered.
const (
	killN       = 2000
	killMoves   = 200
	killStartN  = 12000 // partners of the review start: a few of its batches
	killDeals   = 5000
	killMeets   = 3000
	killPeriod  = "2026-Q1"
	killEnvSeed = "PARTNERTIERS_KILL_SEED"
)

func killID(i int) string { return fmt.Sprintf("kill-partner-%04d", i) }

// killFiles writes the files the killed commands import.
func killFiles(t *testing.T, dir string) {
	t.Helper()
	roster, rows := killProgram(killN)
	bigRoster, bigRows := killProgram(killStartN)
	var deals, cal strings.Builder
	deals.WriteString("Opportunity ID,Partner Account,Amount,Stage,Created Date,Close Date,Partner Sourced\n")
	for i := range killDeals {
		fmt.Fprintf(&deals, "OPP-%05d,%s,%d,Prospecting,2025-08-%02d,,yes\n", i, killID(i%killN), 500+i, 1+i%28)
	}
	cal.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partnertiers//kill test//EN\r\n")
	for i := range killMeets {
		start := time.Date(2026, 11, 9+i%5, 13, 0, 0, 0, time.UTC).Add(time.Duration(i/5%40) * 10 * time.Minute)
		fmt.Fprintf(&cal, "BEGIN:VEVENT\r\nUID:kill-%d@test\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:Pipeline sync %d\r\n"+
			"ORGANIZER:mailto:dana.reyes@acmecloud.example\r\nATTENDEE:mailto:dana.reyes@acmecloud.example\r\nATTENDEE:mailto:rep@kp%04d.example\r\nEND:VEVENT\r\n",
			i, start.Format("20060102T150405Z"), start.Add(30*time.Minute).Format("20060102T150405Z"), i, i%killN)
	}
	cal.WriteString("END:VCALENDAR\r\n")
	for name, data := range map[string]string{"roster.csv": roster, "rows.csv": rows, "deals.csv": deals.String(), "calendar.ics": cal.String(),
		"roster-start.csv": bigRoster, "rows-start.csv": bigRows} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// killProgram is a roster of n partners and their production rows.
func killProgram(n int) (roster, rows string) {
	var r, p strings.Builder
	r.WriteString("id,name,track,manager,domains,aliases,tier,joined\n")
	p.WriteString("partner,period,sourced_pipeline,certified_reps\n")
	for i := range n {
		tier := "registered"
		if i < killMoves {
			tier = "silver"
		}
		fmt.Fprintf(&r, "%s,Kill Partner %04d,reseller,Dana Reyes,kp%04d.example,KP%04d,%s,2020-01-01\n", killID(i), i, i, i, tier)
		for _, q := range []string{"2025-Q4", killPeriod} {
			fmt.Fprintf(&p, "%s,%s,%d,1\n", killID(i), q, 1000+i)
		}
	}
	return r.String(), p.String()
}

// killScenario is one command killed at random moments. base is the store
// it starts from (copied afresh for each kill unless carry is set: then
// the kills follow each other on one store); check inspects the store
// after a kill, given what the command printed before it died.
type killScenario struct {
	name  string
	args  func(round int) []string
	base  string
	carry bool
	redo  bool // carried, but each round's check undoes what got through
	check func(t *testing.T, s *store.Store, stdout string)
}

// TestKilledMidWrite kills the built binary with SIGKILL at random moments
// during every kind of import, a review's start, a run of review decisions
// and a finalize: at least 200 kills in all (20 under -short). After each,
// the store reopens and passes bbolt's consistency check, an import is all
// there or not at all (its import log entry with it), a review is started
// in full or not there, every decision the command confirmed is there,
// and a finalize is all or nothing.
//
// The seed is logged; PARTNERTIERS_KILL_SEED=N replays a run's delays.
func TestKilledMidWrite(t *testing.T) {
	perScenario := 35
	if testing.Short() {
		perScenario = 4
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(killEnvSeed); v != "" {
		var err error
		if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("%s: %v", killEnvSeed, err)
		}
	}
	t.Logf("seed %d (%s=%d replays it)", seed, killEnvSeed, seed)
	rng := rand.New(rand.NewPCG(seed, 0))

	h := newHome(t, buildBinary(t), "grace_reviews = 1", "grace_reviews = 0")
	killFiles(t, h.dir)
	period := model.MustPeriod(killPeriod)

	// The bases: an empty store, one with the roster, one with production
	// too, one with the review started and every move decided.
	bases := filepath.Join(h.dir, "bases")
	base := func(name string) string { return filepath.Join(bases, name+".db") }
	h.mustRun(t, "init")
	copyFile(t, h.store, base("empty"))
	h.mustRun(t, "import", "partners", "roster.csv")
	copyFile(t, h.store, base("roster"))
	h.mustRun(t, "import", "production", "rows.csv")
	copyFile(t, h.store, base("production"))
	for i := range killMoves {
		h.mustRun(t, "review", "decide", killID(i), "accept", "--period", killPeriod)
	}
	copyFile(t, h.store, base("decided"))
	copyFile(t, base("empty"), h.store)
	h.mustRun(t, "import", "partners", "roster-start.csv")
	h.mustRun(t, "import", "production", "rows-start.csv")
	copyFile(t, h.store, base("start"))

	confirmed := map[string]bool{} // decisions printed, across the decide kills
	scenarios := []killScenario{
		{
			name: "import partners", base: base("empty"),
			args: func(int) []string { return []string{"import", "partners", "roster.csv"} },
			check: func(t *testing.T, s *store.Store, _ string) {
				ps, err := s.Partners()
				if err != nil {
					t.Fatal(err)
				}
				allOrNothing(t, s, "roster.csv", len(ps), killN)
			},
		},
		{
			name: "import production rows", base: base("roster"),
			args: func(int) []string { return []string{"import", "production", "rows.csv"} },
			check: func(t *testing.T, s *store.Store, _ string) {
				allOrNothing(t, s, "rows.csv", withValue(t, s, period), killN)
			},
		},
		{
			name: "import production deals", base: base("roster"),
			args: func(int) []string { return []string{"import", "production", "deals.csv", "--shape", "deals"} },
			check: func(t *testing.T, s *store.Store, _ string) {
				allOrNothing(t, s, "deals.csv", withValue(t, s, model.MustPeriod("2025-Q3")), killN)
			},
		},
		{
			name: "import calendar", base: base("roster"),
			args: func(int) []string { return []string{"import", "calendar", "calendar.ics"} },
			check: func(t *testing.T, s *store.Store, _ string) {
				ms, err := s.Meetings(time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
				if err != nil {
					t.Fatal(err)
				}
				allOrNothing(t, s, "calendar.ics", len(ms), killMeets)
			},
		},
		{
			// One store through every round: the review is started by the
			// first decision that gets through, and decisions accumulate.
			name: "review decide", base: base("production"), carry: true,
			args: func(round int) []string {
				return []string{"review", "decide", killID(round % killMoves), "accept", "--period", killPeriod}
			},
			check: func(t *testing.T, s *store.Store, stdout string) {
				for line := range strings.Lines(stdout) {
					if name, ok := strings.CutPrefix(line, "accepted Kill Partner "); ok {
						n, _ := strconv.Atoi(name[:4])
						confirmed[killID(n)] = true
					}
				}
				if len(confirmed) == 0 {
					return
				}
				r, err := s.Review(period)
				if err != nil {
					t.Fatalf("%d decisions confirmed, but no review: %v", len(confirmed), err)
				}
				for id := range confirmed {
					if r.Decision(id).Kind != model.Accepted {
						t.Fatalf("the confirmed decision on %s is lost", id)
					}
				}
			},
		},
		{
			// One store through every round, so a start begins where a
			// killed one left off; a start that got through is discarded
			// for the next round to start again.
			name: "review start", base: base("start"), carry: true, redo: true,
			args: func(int) []string { return []string{"review", "--period", killPeriod} },
			check: func(t *testing.T, s *store.Store, _ string) {
				r, err := s.Review(period)
				switch {
				case errors.Is(err, store.ErrNotFound):
					if _, err := s.OpenReview(); !errors.Is(err, store.ErrNotFound) {
						t.Fatalf("no review of %s, but an open review: %v", period, err)
					}
					return
				case err != nil:
					t.Fatal(err)
				case len(r.Proposals) != killStartN || r.Status != model.ReviewOpen:
					t.Fatalf("a review of %d proposals (%s) for %d partners", len(r.Proposals), r.Status, killStartN)
				}
				if err := s.DiscardReview(period); err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "review finalize", base: base("decided"),
			args: func(int) []string { return []string{"review", "finalize", "--period", killPeriod} },
			check: func(t *testing.T, s *store.Store, stdout string) {
				r, err := s.Review(period)
				if err != nil {
					t.Fatal(err)
				}
				ps, err := s.Partners()
				if err != nil {
					t.Fatal(err)
				}
				demoted := 0
				for _, p := range ps {
					if p.Tier == "registered" && p.ID < killID(killMoves) {
						demoted++
					}
				}
				hs, err := s.AllHistory()
				if err != nil {
					t.Fatal(err)
				}
				moves := 0
				for _, h := range hs {
					if h.Period == period {
						moves++
					}
				}
				switch {
				case r.Status == model.ReviewFinalized && (demoted != killMoves || moves != killMoves):
					t.Fatalf("finalized, but %d of %d partners demoted and %d history entries", demoted, killMoves, moves)
				case r.Status != model.ReviewFinalized && strings.Contains(stdout, "finalized the"):
					t.Fatal("finalize was confirmed, but the review is open")
				case r.Status != model.ReviewFinalized && (demoted != 0 || moves != 0):
					t.Fatalf("the review is open, but %d partners demoted and %d history entries", demoted, moves)
				}
			},
		},
	}
	total := 0
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			dur := measure(t, h, sc)
			if sc.carry {
				copyFile(t, sc.base, h.store)
			}
			kills := 0
			for round := 0; kills < perScenario; round++ {
				if round > 4*perScenario {
					t.Fatalf("only %d kills in %d rounds: the command ends before the kill", kills, round)
				}
				if !sc.carry {
					copyFile(t, sc.base, h.store)
				}
				delay := time.Duration(rng.Int64N(int64(dur)))
				stdout, wasKilled := killAfter(t, h, sc.args(round), delay)
				if wasKilled {
					kills++
				} else {
					// It ended before the kill: the machine is quicker
					// than when measured. Aim earlier.
					dur = max(dur*9/10, time.Millisecond)
				}
				s, err := store.Open(h.store, store.Options{Timeout: 5 * time.Second})
				if err != nil {
					t.Fatalf("round %d (kill after %v): reopen: %v", round, delay, err)
				}
				if err := s.Check(); err != nil {
					t.Fatalf("round %d (kill after %v): %v", round, delay, err)
				}
				sc.check(t, s, stdout)
			}
			total += kills
			t.Logf("%d kills over %v (the command takes %v)", kills, sc.name, dur)
		})
	}
	t.Logf("%d kills in all", total)
}

// measure runs the scenario's command once to the end on a copy of its
// base: kills are spread over that time.
func measure(t *testing.T, h *home, sc killScenario) time.Duration {
	t.Helper()
	copyFile(t, sc.base, h.store)
	r := h.mustRun(t, sc.args(0)...)
	if sc.carry && !sc.redo {
		// The rounds after the first run on a store the first one changed
		// (a decision after the review started): time one of those.
		r = h.mustRun(t, sc.args(1)...)
	}
	return max(r.took, 10*time.Millisecond)
}

// killAfter starts the command and kills it after delay, returning what it
// printed before and whether the kill caught it still running.
func killAfter(t *testing.T, h *home, args []string, delay time.Duration) (string, bool) {
	t.Helper()
	c := h.cmd(args...)
	var out bytes.Buffer
	c.Stdout = &out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	_ = c.Process.Kill()
	_ = c.Wait()
	return out.String(), killed(c)
}

// allOrNothing checks an import after a kill: got is how much of it is in
// the store, of want; its import log entry must be there iff the data is.
func allOrNothing(t *testing.T, s *store.Store, file string, got, want int) {
	t.Helper()
	log, err := s.Imports()
	if err != nil {
		t.Fatal(err)
	}
	logged := false
	for _, r := range log {
		logged = logged || r.File == file
	}
	switch {
	case got != 0 && got != want:
		t.Fatalf("%s: %d of %d in the store: the import was cut in half", file, got, want)
	case logged != (got == want):
		t.Fatalf("%s: %d of %d in the store, but logged = %v", file, got, want, logged)
	}
}

// withValue counts the partners with a sourced pipeline in period.
func withValue(t *testing.T, s *store.Store, period model.Period) int {
	t.Helper()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, series := range snap.Production {
		if _, ok := series.Get(period, "sourced_pipeline"); ok {
			n++
		}
	}
	return n
}
