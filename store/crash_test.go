package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

const crashPartners = 2000

// TestCrashChild is the process TestCrashDuringImports kills: it imports
// a roster, then production files one after another, for ever. File i
// sets registered_deals to i for every partner.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("PARTNERTIERS_CRASH_STORE")
	if path == "" {
		t.Skip("run by TestCrashDuringImports")
	}
	s, err := Create(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	prog := testProgram()
	var r strings.Builder
	r.WriteString("name,track,tier,joined,domains\n")
	for i := range crashPartners {
		fmt.Fprintf(&r, "Crash Partner %d,reseller,silver,2024-01-01,c%d.example\n", i, i)
	}
	if _, err := s.ImportPartners("roster.csv", []byte(r.String()), prog, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		var p strings.Builder
		p.WriteString("partner,period,registered_deals\n")
		for j := range crashPartners {
			fmt.Fprintf(&p, "crash-partner-%d,2026-Q1,%d\n", j, i)
		}
		if _, err := s.ImportProduction(fmt.Sprintf("p%d.csv", i), []byte(p.String()), prog, DefaultProductionColumns(), ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashDuringImports kills a process at random moments while it
// imports, and checks after each kill that the store passes bbolt's
// consistency check and that every import is all there or not at all.
func TestCrashDuringImports(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PARTNERTIERS_CRASH_STORE="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+rand.IntN(600)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()

		if _, err := os.Stat(path); err != nil {
			continue // killed before Create made the file: nothing to check
		}
		s, err := Open(path, testOptions())
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if n := len(snap.Partners); n != 0 && n != crashPartners {
			t.Fatalf("round %d: %d partners: the roster import was cut in half", round, n)
		}
		log, err := s.Imports()
		if err != nil {
			t.Fatal(err)
		}
		imports := 0
		for _, r := range log {
			if r.Kind == KindProduction {
				imports++
			}
		}
		values := map[float64]int{}
		for _, series := range snap.Production {
			v, _ := series.Get(model.MustPeriod("2026-Q1"), "registered_deals")
			values[v]++
		}
		switch {
		case imports == 0 && len(values) == 0:
		case len(values) == 1 && values[float64(imports-1)] == crashPartners:
		default:
			t.Fatalf("round %d: %d production imports logged, but the values are %v", round, imports, values)
		}
		t.Logf("round %d: %d partners, %d production imports", round, len(snap.Partners), imports)
	}
}
