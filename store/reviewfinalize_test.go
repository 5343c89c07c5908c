package store

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// decideAll accepts every move of period's review.
func decideAll(t *testing.T, s *Store, period model.Period) *model.Review {
	t.Helper()
	r, err := s.Review(period)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range r.Proposals {
		if !pr.Kind.IsMove() {
			continue
		}
		if _, err := s.UpdateReview(period, pr.Partner, func(r *model.Review) error { _, err := r.Accept(pr.Partner, "dana", testNow); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if r, err = s.Review(period); err != nil {
		t.Fatal(err)
	}
	return r
}

// q3Started is reviewStore with the q3 review started, batch partners
// a transaction (0: the default).
func q3Started(t *testing.T, batch int) *Store {
	t.Helper()
	s := reviewStore(t)
	s.startBatch = batch
	if _, _, err := s.StartOrResumeReview(testProgram(), q3, "dana", testNow); err != nil {
		t.Fatal(err)
	}
	return s
}

// byPartner sorts history entries by partner, for comparing sets.
func byPartner(hs []model.History) []model.History {
	return slices.SortedFunc(slices.Values(hs), func(a, b model.History) int { return strings.Compare(a.Partner, b.Partner) })
}

// TestFinalizeInBatches: a finalize reading a batch of proposals at a time
// applies what model.Review.Finalize works out on the whole review, and
// returns the review as the Store or the app reads it.
func TestFinalizeInBatches(t *testing.T) {
	p := testProgram()
	for _, batch := range []int{1, 2, 1000} {
		s := q3Started(t, batch)
		full := decideAll(t, s, q3)
		ps, err := s.Partners()
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]model.Partner{}
		for _, pa := range ps {
			byID[pa.ID] = pa
		}
		wantChanged, wantHistory, err := full.Finalize(p, func(id string) (model.Partner, bool) { pa, ok := byID[id]; return pa, ok }, "dana", testNow)
		if err != nil || len(wantHistory) == 0 {
			t.Fatalf("batch %d: the model's finalize: %d changes, %v", batch, len(wantHistory), err)
		}

		r, hs, err := s.Brief().FinalizeReview(p, q3, "dana", testNow)
		if err != nil {
			t.Fatalf("batch %d: %v", batch, err)
		}
		if r.Status != model.ReviewFinalized || r.Proposals != nil || len(r.Decisions) != len(full.Decisions) {
			t.Errorf("batch %d: the app was handed %s, %d proposals, %d decisions", batch, r.Status, len(r.Proposals), len(r.Decisions))
		}
		if !reflect.DeepEqual(byPartner(hs), byPartner(wantHistory)) {
			t.Errorf("batch %d: history\n%+v\nwant\n%+v", batch, hs, wantHistory)
		}
		for _, want := range wantChanged {
			if got, err := s.Partner(want.ID); err != nil || got.Tier != want.Tier || !got.TierSince.Equal(want.TierSince) {
				t.Errorf("batch %d: %s is %s since %v, want %s", batch, want.ID, got.Tier, got.TierSince, want.Tier)
			}
		}
		stored, err := s.Review(q3)
		if err != nil || stored.Status != model.ReviewFinalized {
			t.Fatalf("batch %d: stored review %v, %v", batch, stored, err)
		}
	}
}

// TestFinalizeRefusesAsAWhole: undecided moves and tiers changed since the
// start are refused with nothing written, and the review comes back, as
// the store or the app reads it, to list what to fix.
func TestFinalizeRefusesAsAWhole(t *testing.T) {
	p := testProgram()
	s := q3Started(t, 1)
	before, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for name, finalize := range map[string]func() (*model.Review, []model.History, error){
		"Store": func() (*model.Review, []model.History, error) { return s.FinalizeReview(p, q3, "dana", testNow) },
		"Brief": func() (*model.Review, []model.History, error) {
			return s.Brief().FinalizeReview(p, q3, "dana", testNow)
		},
	} {
		r, hs, err := finalize()
		if !errors.Is(err, model.ErrUndecided) || r == nil || len(r.Undecided()) == 0 || hs != nil {
			t.Errorf("%s with undecided moves: %v, %v, %d entries", name, err, r, len(hs))
		}
	}
	decideAll(t, s, q3)
	// Another terminal sets a tier after the review started.
	nw := partnerOf(t, before, "northwind-global")
	nw.Tier = "silver"
	if err := s.PutPartners([]model.Partner{nw}); err != nil {
		t.Fatal(err)
	}
	r, _, err := s.Brief().FinalizeReview(p, q3, "dana", testNow)
	if !errors.Is(err, model.ErrStale) || !strings.Contains(err.Error(), "Northwind Global (Gold, now Silver)") || r == nil || r.Status != model.ReviewOpen {
		t.Fatalf("stale: %v, %+v", err, r)
	}
	after, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.History, before.History) {
		t.Error("a refused finalize wrote history")
	}
}

// TestFinalizeSeesAWriteBeforeItsWrite: a tier set in another terminal
// after the finalize read its batches makes it read again, and refuse.
func TestFinalizeSeesAWriteBeforeItsWrite(t *testing.T) {
	p := testProgram()
	s := q3Started(t, 1)
	decideAll(t, s, q3)
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	writes := countWrites(t, func(n int) {
		if n == 0 {
			nw := partnerOf(t, snap, "northwind-global")
			nw.Tier = "silver"
			if err := s.PutPartners([]model.Partner{nw}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if _, _, err := s.FinalizeReview(p, q3, "dana", testNow); !errors.Is(err, model.ErrStale) {
		t.Fatalf("finalize after a change made meanwhile: %v (%d tries)", err, *writes)
	}
	if r, err := s.Review(q3); err != nil || r.Status != model.ReviewOpen {
		t.Errorf("review %v, %v", r, err)
	}
}

// TestFinalizeRefusesADamagedReview: a review whose proposals lack a
// record the header counts is refused whole, as a read of it is, rather
// than finalized without the missing move.
func TestFinalizeRefusesADamagedReview(t *testing.T) {
	p := testProgram()
	for _, brief := range []bool{false, true} {
		s := q3Started(t, 0)
		decideAll(t, s, q3)
		if err := s.update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketReviews).Bucket([]byte(q3.String())).Bucket(keyProposals).Delete([]byte("brightpath-analytics"))
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Review(q3); !errors.Is(err, errCorrupt) {
			t.Fatalf("Review of the damaged review: %v", err)
		}
		var (
			hs  []model.History
			err error
		)
		if brief {
			_, hs, err = s.Brief().FinalizeReview(p, q3, "dana", testNow)
		} else {
			_, hs, err = s.FinalizeReview(p, q3, "dana", testNow)
		}
		hist, _ := s.AllHistory()
		nw, _ := s.Partner("northwind-global")
		bp, _ := s.Partner("brightpath-analytics")
		if !errors.Is(err, errCorrupt) || len(hist) != 0 || nw.Tier != "gold" {
			t.Errorf("brief=%v: finalize of a damaged review: err %v, %d entries returned, %d in the store; northwind %s, brightpath (accepted promote to gold) %s",
				brief, err, len(hs), len(hist), nw.Tier, bp.Tier)
		}
	}
}

// TestFinalizeWithoutProposalsBucket: a damaged review without its
// proposals bucket is refused, not a panic.
func TestFinalizeWithoutProposalsBucket(t *testing.T) {
	p := testProgram()
	s := q3Started(t, 0)
	decideAll(t, s, q3)
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReviews).Bucket([]byte(q3.String())).DeleteBucket(keyProposals)
	}); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("finalize panicked: %v", r)
		}
	}()
	if _, _, err := s.FinalizeReview(p, q3, "dana", testNow); !errors.Is(err, errCorrupt) {
		t.Fatalf("err %v", err)
	}
}

// zetaReview is the review store with its q3 review started and one more
// partner, "zeta", promoted to gold: last by id, first by name among the
// promotions ("Alpha Zeta").
func zetaReview(t *testing.T) *Store {
	t.Helper()
	s := reviewStore(t)
	gold := map[string]float64{"sourced_pipeline": 250000, "sourced_revenue": 100000, "certified_reps": 6, "joint_customers": 7}
	if err := s.PutPartners([]model.Partner{{ID: "zeta", Name: "Alpha Zeta", Tier: "registered", Track: "isv", Joined: day("2023-01-01")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutProduction([]model.Production{{Partner: "zeta", Period: q2, Values: gold}, {Partner: "zeta", Period: q3, Values: gold}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.StartOrResumeReview(testProgram(), q3, "dana", testNow); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFinalizeHistoryInReviewOrder: a finalize reads in id order but
// returns and appends its history in review order, as AllHistory and the
// history export list it.
func TestFinalizeHistoryInReviewOrder(t *testing.T) {
	p := testProgram()
	s := zetaReview(t)
	full := decideAll(t, s, q3)
	ps, _ := s.Partners()
	byID := map[string]model.Partner{}
	for _, pa := range ps {
		byID[pa.ID] = pa
	}
	_, want, err := full.Finalize(p, func(id string) (model.Partner, bool) { pa, ok := byID[id]; return pa, ok }, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	_, hs, err := s.FinalizeReview(p, q3, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := s.AllHistory()
	all = all[len(all)-len(hs):]
	ids := func(hs []model.History) (out []string) {
		for _, h := range hs {
			out = append(out, h.Partner)
		}
		return out
	}
	if !reflect.DeepEqual(ids(hs), ids(want)) || !reflect.DeepEqual(ids(all), ids(want)) {
		t.Errorf("returned %v, appended %v; review order %v", ids(hs), ids(all), ids(want))
	}
}

// TestFinalizeNamesTheFirstMissingPartner: with two partners whose moves
// were accepted gone from the store, the refusal names the first in review
// order, as model.Review.Finalize does.
func TestFinalizeNamesTheFirstMissingPartner(t *testing.T) {
	p := testProgram()
	s := zetaReview(t)
	full := decideAll(t, s, q3)
	if err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPartners)
		if err := b.Delete([]byte("zeta")); err != nil {
			return err
		}
		return b.Delete([]byte("brightpath-analytics"))
	}); err != nil {
		t.Fatal(err)
	}
	ps, _ := s.Partners()
	byID := map[string]model.Partner{}
	for _, pa := range ps {
		byID[pa.ID] = pa
	}
	_, _, want := full.Finalize(p, func(id string) (model.Partner, bool) { pa, ok := byID[id]; return pa, ok }, "dana", testNow)
	_, _, err := s.FinalizeReview(p, q3, "dana", testNow)
	if err == nil || want == nil || !strings.Contains(err.Error(), want.Error()) {
		t.Errorf("err %v, the model (review order) says %v", err, want)
	}
}
