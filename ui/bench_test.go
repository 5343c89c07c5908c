package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/store"
)

var benchSizes = []int{10_000, 100_000}

var benchSnaps = map[int]*store.Snapshot{}

func benchSnapshot(n int) *store.Snapshot {
	if s, ok := benchSnaps[n]; ok {
		return s
	}
	s := generatedSnapshot(n)
	benchSnaps[n] = s
	return s
}

// benchApp is a loaded app at 120×40 over n generated partners.
func benchApp(b *testing.B, n int) *App {
	b.Helper()
	snap := benchSnapshot(n)
	prog := fixtureProgram()
	a := New(Options{
		Program: prog, Load: func() (*store.Snapshot, error) { return snap, nil },
		StorePath: "/var/lib/partnertiers/partnertiers.db", Now: func() time.Time { return fixtureNow },
	})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	a.Update(snapshotLoadedMsg{data: buildDataset(prog, snap, fixtureNow)})
	return a
}

// BenchmarkCursorKey is one cursor key and the frame after it.
func BenchmarkCursorKey(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			a := benchApp(b, n)
			down, up := keyMsg("j"), keyMsg("k")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				k := down
				if i/500%2 == 1 {
					k = up
				}
				a.Update(k)
				_ = a.View()
			}
		})
	}
}

// BenchmarkFilterKey is one filter keystroke and the frame after it:
// alternately typing a letter (a search of every partner) and deleting it.
func BenchmarkFilterKey(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			a := benchApp(b, n)
			a.Update(keyMsg("/"))
			typed, del := keyMsg("e"), keyMsg("backspace")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				k := typed
				if i%2 == 1 {
					k = del
				}
				a.Update(k)
				_ = a.View()
			}
		})
	}
}

// BenchmarkFilterNarrow is a keystroke that narrows a filter: "nova" after
// "nov", searching only the last matches.
func BenchmarkFilterNarrow(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			a := benchApp(b, n)
			a.Update(keyMsg("/"))
			for _, r := range "nov" {
				a.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			typed, del := keyMsg("a"), keyMsg("backspace")
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				k := typed
				if i%2 == 1 {
					k = del
				}
				a.Update(k)
				_ = a.View()
			}
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
			for range b.N {
				a.Update(s)
				_ = a.View()
			}
		})
	}
}

// BenchmarkBuildDataset is the precomputation the load command does.
func BenchmarkBuildDataset(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			snap, prog := benchSnapshot(n), fixtureProgram()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				buildDataset(prog, snap, fixtureNow)
			}
		})
	}
}
