package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

var benchSizes = []int{10_000, 100_000}

// benchData is a snapshot of a store made like `init --sample --size N`
// and the example config's program, read once per size and kept for every
// benchmark of the run.
type benchData struct {
	snap *store.Snapshot
	prog *model.Program
}

var benchCache = map[int]benchData{}

func benchSnapshot(b *testing.B, n int) benchData {
	b.Helper()
	if d, ok := benchCache[n]; ok {
		return d
	}
	path, prog := benchStore(b, n)
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := st.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	if len(snap.Partners) != n {
		b.Fatalf("the store holds %d partners, want %d", len(snap.Partners), n)
	}
	d := benchData{snap, prog}
	benchCache[n] = d
	return d
}

// benchApp is the app loaded on n generated partners at 120×40, its
// Partners tab showing, its timers never firing.
func benchApp(b *testing.B, n int) *App {
	b.Helper()
	d := benchSnapshot(b, n)
	a := New(Options{
		Program: d.prog, Load: func() (*store.Snapshot, error) { return d.snap, nil },
		StorePath: "/var/lib/partnertiers/partnertiers.db", Now: func() time.Time { return fixtureNow },
	})
	a.tick = pendingTick
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	runAll(a, a.Init())
	if a.data == nil || len(a.data.rows) != n {
		b.Fatalf("the app did not load %d partners: %v", n, a.err)
	}
	return a
}

// keyFrame is one key as the runtime delivers it: Update, the commands it
// returns run and their messages fed back, then the frame.
func keyFrame(a *App, k tea.KeyPressMsg) {
	_, cmd := a.Update(k)
	runAll(a, cmd)
	_ = a.View()
}

func partnersOf(a *App) *partnersScreen { return a.screens[0].(*partnersScreen) }

// BenchmarkKeyMove10k is one cursor key and the frame after it, at 10k
// partners (target 16 ms): down 500 times, then up 500, and again.
func BenchmarkKeyMove10k(b *testing.B) { benchKeyMove(b, 10_000) }

// BenchmarkKeyMove100k is the cursor key at 100k partners (target 50 ms).
func BenchmarkKeyMove100k(b *testing.B) { benchKeyMove(b, 100_000) }

func benchKeyMove(b *testing.B, n int) {
	a := benchApp(b, n)
	p := partnersOf(a)
	down, up := keyMsg("j"), keyMsg("k")
	keyFrame(a, down)
	if p.cursor != 1 {
		b.Fatalf("j moved the cursor to %d, want 1", p.cursor)
	}
	keyFrame(a, up)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := down
		if i/500%2 == 1 {
			k = up
		}
		keyFrame(a, k)
	}
}

// BenchmarkFilterKey10k is one filter keystroke and the frame after it,
// at 10k partners (target 16 ms): typing a letter (a search of every
// partner, many of them matching: matches) and deleting it, in turn.
func BenchmarkFilterKey10k(b *testing.B) { benchFilterKey(b, 10_000) }

// BenchmarkFilterKey100k is the filter keystroke at 100k partners
// (target 50 ms).
func BenchmarkFilterKey100k(b *testing.B) { benchFilterKey(b, 100_000) }

func benchFilterKey(b *testing.B, n int) {
	a := benchApp(b, n)
	p := partnersOf(a)
	keyFrame(a, keyMsg("/"))
	typed, del := keyMsg("o"), keyMsg("backspace")
	keyFrame(a, typed)
	matches := p.shown
	if p.query != "o" || p.shown == 0 || p.shown == n {
		b.Fatalf("typing o filtered to %d of %d partners (query %q)", p.shown, n, p.query)
	}
	keyFrame(a, del)
	if p.query != "" || p.shown != n {
		b.Fatalf("deleting it shows %d of %d partners (query %q)", p.shown, n, p.query)
	}
	b.ReportAllocs()
	b.ResetTimer()
	typeAndDelete(b, a, typed, del)
	b.ReportMetric(float64(matches), "matches")
}

// BenchmarkFilterNarrow is a keystroke that narrows a filter: "nova" after
// "nov", searching only the last matches.
func BenchmarkFilterNarrow(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			a := benchApp(b, n)
			keyFrame(a, keyMsg("/"))
			for _, r := range "nov" {
				keyFrame(a, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			typed, del := keyMsg("a"), keyMsg("backspace")
			b.ReportAllocs()
			b.ResetTimer()
			typeAndDelete(b, a, typed, del)
		})
	}
}

// BenchmarkSortKey is one sort key (s) and the frame after it.
func BenchmarkSortKey(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			a := benchApp(b, n)
			s := keyMsg("s")
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				keyFrame(a, s)
			}
		})
	}
}

// BenchmarkBuildDataset is the precomputation the load command does.
func BenchmarkBuildDataset(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			d := benchSnapshot(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				buildDataset(d.prog, d.snap, fixtureNow)
			}
		})
	}
}

// typeAndDelete times a keystroke and its backspace in turn, each through
// Update, its commands and View, so the filter ends as it began.
func typeAndDelete(b *testing.B, a *App, typed, del tea.KeyPressMsg) {
	for i := 0; b.Loop(); i++ {
		k := typed
		if i%2 == 1 {
			k = del
		}
		keyFrame(a, k)
	}
}
