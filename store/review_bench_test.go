package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/sample"
)

// sampleStore is a store of n partners made by the sample generator
// through the importers, as `init --sample --size n` makes it.
func sampleStore(b *testing.B, n int) *Store {
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
// active partner on the stored production, then write the proposals and
// their evidence. It reports how long of that the write lock is held
// (lock-ms): only the write, the evaluation runs in a read transaction.
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
	b.StopTimer()
	// The same start in its two steps, the write timed alone.
	var held time.Duration
	const runs = 5
	for range runs {
		discard()
		var plan *startPlan
		if err := s.view(func(tx *bolt.Tx) (err error) {
			_, _, plan, err = planStart(tx, p, q3, "bench", testNow, true)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := s.update(plan.write); err != nil {
			b.Fatal(err)
		}
		held += time.Since(t0)
	}
	b.ReportMetric(float64(held.Microseconds())/1000/runs, "lock-ms")
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
