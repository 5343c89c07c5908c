package store

import (
	"errors"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/sample"
)

// sampleStore is a store of n partners made by the sample generator
// through the importers, as `init --sample --size n` makes it.
func sampleStore(b testing.TB, n int) *Store {
	b.Helper()
	s, err := Create(filepath.Join(b.TempDir(), "bench.db"), Options{Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	data := sample.Generate(n, testNow)
	opts := ImportOptions{Now: testNow}
	if _, err := s.ImportPartners("roster.csv", data.Roster, testProgram(), opts); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportProduction("production.csv", data.Production, testProgram(), DefaultProductionColumns(), opts); err != nil {
		b.Fatal(err)
	}
	if err := s.AppendHistory(data.History...); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkReviewStart starts the review of 10k partners: evaluate every
// active partner on the stored production, write the proposals and their
// evidence in batches, read the review back. It reports the most heap a
// start holds above what was live before it (peak-MB), the review it
// returns included.
func BenchmarkReviewStart(b *testing.B) { benchReviewStart(b, 10_000) }

// BenchmarkReviewStart100k is the review's start at 100k partners.
func BenchmarkReviewStart100k(b *testing.B) { benchReviewStart(b, 100_000) }

func benchReviewStart(b *testing.B, n int) {
	s := sampleStore(b, n)
	p := testProgram()
	discard := func() {
		if err := s.DiscardReview(q3); err != nil && !errors.Is(err, ErrNotFound) {
			b.Fatal(err)
		}
	}
	// The first start, as in a new store: its file grows as it writes.
	peak := peakHeap(func() {
		if _, _, err := s.StartOrResumeReview(p, q3, "bench", testNow); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		discard()
		b.StartTimer()
		r, started, err := s.StartOrResumeReview(p, q3, "bench", testNow)
		if err != nil || !started || len(r.Proposals) < n*9/10 {
			b.Fatal(started, err)
		}
	}
	b.ReportMetric(peak/(1<<20), "peak-MB") // after b.Loop, which clears metrics
}

// peakHeap is the most heap fn keeps live above what was live before it,
// as the GC found it: what the code holds, more than when the GC happens
// to run. The GC runs at GOGC=10 meanwhile, so it looks often; what is
// allocated while it marks counts as live, so an evaluation's churn adds
// a little.
func peakHeap(fn func()) float64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := live()
	done, peak := make(chan struct{}), make(chan float64)
	go func() {
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		most := base
		for {
			most = max(most, live())
			select {
			case <-done:
				peak <- max(most, live())
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	return <-peak - base
}

// BenchmarkReviewResume reads back a started review of 10k partners, as
// the app and `partnertiers review` do: proposals without their evidence.
func BenchmarkReviewResume(b *testing.B) {
	s := sampleStore(b, 10_000)
	p := testProgram()
	if _, _, err := s.StartOrResumeReview(p, q3, "bench", testNow); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r, started, err := s.StartOrResumeReview(p, q3, "bench", testNow); err != nil || started || len(r.Proposals) == 0 {
			b.Fatal(started, err)
		}
	}
}

// BenchmarkReviewDecide is one decision on a started review of 10k
// partners, accept and undo in turn, each its own write transaction.
func BenchmarkReviewDecide(b *testing.B) {
	s := sampleStore(b, 10_000)
	p := testProgram()
	r, _, err := s.StartOrResumeReview(p, q3, "bench", testNow)
	if err != nil {
		b.Fatal(err)
	}
	var moves []string
	for _, pr := range r.Proposals {
		if pr.Kind.IsMove() {
			moves = append(moves, pr.Partner)
		}
	}
	if len(moves) == 0 {
		b.Fatal("no moves to decide")
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		id := moves[i/2%len(moves)]
		fn := func(r *model.Review) error { _, err := r.Accept(id, "bench", testNow); return err }
		if i%2 == 1 {
			fn = func(r *model.Review) error { return r.Undo(id) }
		}
		if _, err := s.UpdateReview(q3, id, fn); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
