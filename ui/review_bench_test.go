package ui

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// runAll runs a command the way the runtime would, feeding every message
// it makes back into the app; timers never fire (pendingTick).
func runAll(a *App, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	a.tick = pendingTick
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			runAll(a, c)
		}
	case nil, timerMsg:
	default:
		if cmds, ok := sequenced(msg); ok {
			for _, c := range cmds {
				runAll(a, c)
			}
			return
		}
		_, next := a.Update(msg)
		runAll(a, next)
	}
}

// BenchmarkAppDecide is one decision in the app, on a store made like
// `init --sample --size N` with the review of the last quarter open: the
// key, the store's write in its command, the confirmed decision shown,
// the frame. It accepts a move and undoes it in turn. It reports the heap
// the loaded app keeps alive with the review open (heap-MB).
func BenchmarkAppDecide(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			path, prog := benchStore(b, n)
			st, err := store.Open(path, store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			period := model.LastComplete(fixtureNow, prog.Cadence)
			if _, _, err := st.StartOrResumeReview(prog, period, "bench", fixtureNow); err != nil {
				b.Fatal(err)
			}
			a := loadApp(b, st, prog)
			a.tick = pendingTick
			_, cmd := a.Update(keyMsg("2"))
			runAll(a, cmd)
			s := reviewOf(a)
			if s.cur == nil || s.mode != reviewList || len(s.cur.undecided) == 0 {
				b.Fatalf("the open review is not shown: mode %d", s.mode)
			}
			decided := s.cur.decided
			var last int32
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				k := "a"
				if i%2 == 1 {
					s.moveTo(last)
					k = "u"
				} else {
					last = s.selected()
				}
				_, cmd := a.Update(keyMsg(k))
				runAll(a, cmd)
				_ = a.View()
			}
			b.StopTimer()
			if got := s.cur.decided; got != decided && got != decided+1 {
				b.Fatalf("%d decided after the run, started with %d", got, decided)
			}
			live := liveHeap(func() any { return loadApp(b, st, prog) })
			b.ReportMetric(live/(1<<20), "heap-MB")
		})
	}
}
