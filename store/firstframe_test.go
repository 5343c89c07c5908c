package store_test

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/ui"
)

// BenchmarkFirstFrame is DESIGN §10's start target at 10k partners: the
// app from its start to its first full frame (read the store, precompute
// the rows, draw at 120×40), against a raw scan and decode of the same
// store, the two interleaved in one run (ns/op is both): app-ns and
// rawscan-ns are each's time, x-rawscan their ratio (target: at most 3).
func BenchmarkFirstFrame(b *testing.B) {
	s := store.GenStore(b, 10_000)
	prog := store.TestProgram()
	now := time.Date(2026, 11, 21, 10, 15, 0, 0, time.UTC)
	var raw, app time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		s.RawScan(b)
		t1 := time.Now()
		firstFrame(b, s, prog, now)
		t2 := time.Now()
		raw, app = raw+t1.Sub(t0), app+t2.Sub(t1)
	}
	b.ReportMetric(float64(app.Nanoseconds())/float64(b.N), "app-ns")
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "rawscan-ns")
	b.ReportMetric(float64(app)/float64(raw), "x-rawscan")
}

// firstFrame starts the app as the runtime does: a window size, Init's
// commands (the store's load among them), their messages, a frame.
func firstFrame(b *testing.B, s *store.Store, prog *model.Program, now time.Time) {
	a := ui.New(ui.Options{Program: prog, Load: s.Snapshot, StorePath: s.Path(), Now: func() time.Time { return now }})
	a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	msgs := []tea.Msg{a.Init()()}
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, cmd := range batch {
				if cmd != nil {
					msgs = append(msgs, cmd())
				}
			}
			continue
		}
		a.Update(msg)
	}
	if v := a.View().Content; len(v) == 0 {
		b.Fatal("no frame")
	}
}
