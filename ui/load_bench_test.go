package ui

import (
	"cmp"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/sample"
)

// benchStore is a store of n partners made by the sample generator through
// the importers, as `init --sample --size n` makes it, with the example
// config's program. PARTNERTIERS_BENCH_STORE and PARTNERTIERS_BENCH_CONFIG
// measure an existing store and config instead (n is then ignored).
func benchStore(b *testing.B, n int) (string, *model.Program) {
	b.Helper()
	cfgPath := cmp.Or(os.Getenv("PARTNERTIERS_BENCH_CONFIG"), filepath.Join("..", "config.example.toml"))
	cfg, err := config.Load(cfgPath)
	if err != nil {
		b.Fatal(err)
	}
	if p := os.Getenv("PARTNERTIERS_BENCH_STORE"); p != "" {
		return p, cfg.Program
	}
	path := filepath.Join(b.TempDir(), "partnertiers.db")
	st, err := store.Create(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	data := sample.Generate(n, fixtureNow)
	opts := store.ImportOptions{Now: fixtureNow}
	cols := store.ProductionColumns{Partner: cfg.Production.Partner, Period: cfg.Production.Period, Metrics: cfg.Production.Metrics}
	if _, err := st.ImportPartners("roster.csv", data.Roster, cfg.Program, opts); err != nil {
		b.Fatal(err)
	}
	if _, err := st.ImportProduction("production.csv", data.Production, cfg.Program, cols, opts); err != nil {
		b.Fatal(err)
	}
	if err := st.AppendHistory(data.History...); err != nil {
		b.Fatal(err)
	}
	return path, cfg.Program
}

// firstFrame starts the app on a store the way the runtime does, up to
// its first full frame: a window size, the load command (read the store,
// precompute the rows), the loaded message, a frame. It returns the
// commands the screens return on load.
func firstFrame(b *testing.B, st *store.Store, prog *model.Program) (*App, tea.Cmd) {
	a := New(Options{
		Program: prog, Load: st.Snapshot, Reviews: st.Brief(), Reviewer: "bench",
		StorePath: st.Path(), Now: func() time.Time { return fixtureNow },
	})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	_, cmd := a.Update(a.loadCmd()())
	if a.data == nil {
		b.Fatalf("snapshot did not load: %v", a.err)
	}
	_ = a.View()
	return a, cmd
}

// loadApp is the app after its first frame and the commands the screens
// return on load (the open review, the health checks), each run once.
func loadApp(b *testing.B, st *store.Store, prog *model.Program) *App {
	a, cmd := firstFrame(b, st, prog)
	var runCmd func(tea.Cmd)
	runCmd = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				runCmd(c)
			}
		case nil:
		default:
			if cmds, ok := sequenced(msg); ok {
				for _, c := range cmds {
					runCmd(c)
				}
				return
			}
			a.Update(msg)
		}
	}
	runCmd(cmd)
	_ = a.View()
	return a
}

// writeHeapProfile writes the heap in use now, for `go tool pprof
// -sample_index=inuse_space`.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		panic(err)
	}
}

// liveHeap is the heap, after a GC, that what load returns keeps alive.
// PARTNERTIERS_BENCH_HEAPPROFILE=FILE writes a heap profile while it is.
func liveHeap(load func() any) float64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v := load()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if path := os.Getenv("PARTNERTIERS_BENCH_HEAPPROFILE"); path != "" {
		writeHeapProfile(path)
	}
	runtime.KeepAlive(v)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}
