package store

import (
	"errors"
	"reflect"
	"testing"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// reviewBuckets names every bucket under reviews, starts cut short too.
func reviewBuckets(t *testing.T, s *Store) map[string]reviewHeader {
	t.Helper()
	out := map[string]reviewHeader{}
	err := s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketReviews)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(k []byte) error {
			h, err := readHeader(root.Bucket(k))
			out[string(k)] = h
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// countWrites counts the transactions a start writes, through beforeWrite,
// and runs then (when not nil) before the write numbered n (from 0).
func countWrites(t *testing.T, then func(n int)) *int {
	writes := 0
	beforeWrite = func() {
		if then != nil {
			then(writes)
		}
		writes++
	}
	t.Cleanup(func() { beforeWrite = nil })
	return &writes
}

// TestReviewStartInBatches: a start writes its partners a batch per
// transaction, and the review it leaves is the one model.StartReview makes
// of the same store, evidence and counts included, whatever the batch.
func TestReviewStartInBatches(t *testing.T) {
	p := testProgram()
	for _, batch := range []int{1, 2, 1000} {
		s := reviewStore(t)
		s.startBatch = batch
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		want := model.StartReview(p, snap.Partners, snap.Production, q3, "dana", testNow)
		writes := countWrites(t, nil)
		r, started, err := s.StartOrResumeReview(p, q3, "dana", testNow)
		if err != nil || !started {
			t.Fatalf("batch %d: started %v, %v", batch, started, err)
		}
		if n := len(want.Proposals); *writes != (n+batch-1)/batch {
			t.Errorf("batch %d: %d proposals in %d writes", batch, n, *writes)
		}
		if !reflect.DeepEqual(r, light(want)) {
			t.Errorf("batch %d: started\n%+v\nwant\n%+v", batch, r, light(want))
		}
		var ids []string
		for _, pr := range want.Proposals {
			ids = append(ids, pr.Partner)
		}
		prs, err := s.ReviewProposals(q3, ids...)
		if err != nil || len(prs) != len(ids) {
			t.Fatalf("batch %d: %d proposals in full, %v", batch, len(prs), err)
		}
		for _, pr := range want.Proposals {
			if got := prs[pr.Partner]; !reflect.DeepEqual(got, pr) {
				t.Errorf("batch %d: %s: in full\n%+v\nwant\n%+v", batch, pr.Partner, got, pr)
			}
		}
		checkInfo(t, s, p, q3, "started in batches")
		if h := reviewBuckets(t, s)[q3.String()]; h.Starting || h.Proposals != len(want.Proposals) {
			t.Errorf("batch %d: header %+v", batch, h)
		}
	}
}

// TestReviewStartSeesAWriteBetweenBatches: another terminal's import after
// the first batch is written makes the start begin again, so no review
// mixes the store before and after it.
func TestReviewStartSeesAWriteBetweenBatches(t *testing.T) {
	s := reviewStore(t)
	s.startBatch = 1
	p := testProgram()
	gold := map[string]float64{"sourced_pipeline": 900000, "sourced_revenue": 400000, "certified_reps": 9, "joint_customers": 12, "registered_deals": 20}
	countWrites(t, func(n int) {
		if n == 1 {
			if err := s.PutProduction([]model.Production{{Partner: "brightpath-analytics", Period: q3, Values: gold}, {Partner: "contoso", Period: q3, Values: gold}}); err != nil {
				t.Fatal(err)
			}
		}
	})
	r, started, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil || !started {
		t.Fatalf("start: %v, %v", started, err)
	}
	// brightpath-analytics sorts first: its batch was written before the
	// import and must have been evaluated again.
	for _, id := range []string{"brightpath-analytics", "contoso"} {
		if pr, _ := r.Proposal(id); pr.To != "gold" {
			t.Errorf("%s proposed %s: the import between two batches was missed", id, pr.To)
		}
	}
	if got := reviewBuckets(t, s); len(got) != 1 {
		t.Errorf("reviews left: %v", got)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// interruptStart starts period's review and stops it dead after its first
// batch is written, as a kill would.
func interruptStart(t *testing.T, s *Store, period model.Period) {
	t.Helper()
	s.startBatch = 1
	defer func() { s.startBatch = defaultStartBatch }()
	killed := errors.New("killed")
	countWrites(t, func(n int) {
		if n == 1 {
			panic(killed)
		}
	})
	defer func() {
		beforeWrite = nil
		if v := recover(); v != killed {
			t.Fatalf("the start was not cut short: %v", v)
		}
	}()
	_, _, _ = s.StartOrResumeReview(testProgram(), period, "dana", testNow)
}

// TestInterruptedStartIsPassedOver: a start cut short leaves a review that
// every read passes over, and the next start, of any period, deletes.
func TestInterruptedStartIsPassedOver(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	interruptStart(t, s, q3)
	if h, ok := reviewBuckets(t, s)[q3.String()]; !ok || !h.Starting || h.Proposals != 1 {
		t.Fatalf("after the interrupted start: %+v, %v", h, ok)
	}
	if _, err := s.Review(q3); !errors.Is(err, ErrNotFound) {
		t.Errorf("Review: %v", err)
	}
	if _, err := s.OpenReview(); !errors.Is(err, ErrNotFound) {
		t.Errorf("OpenReview: %v", err)
	}
	if infos, err := s.ReviewInfos(p); err != nil || len(infos) != 0 {
		t.Errorf("ReviewInfos: %d, %v", len(infos), err)
	}
	if _, err := s.ReviewProposals(q3, "brightpath-analytics"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReviewProposals: %v", err)
	}
	if _, err := s.UpdateReview(q3, "brightpath-analytics", func(r *model.Review) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateReview: %v", err)
	}
	if _, _, err := s.FinalizeReview(p, q3, "dana", testNow); !errors.Is(err, ErrNotFound) {
		t.Errorf("FinalizeReview: %v", err)
	}
	if err := s.DiscardReview(q3); !errors.Is(err, ErrNotFound) {
		t.Errorf("DiscardReview: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}

	// Starting again replaces it.
	r, started, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil || !started || len(r.Proposals) != 3 {
		t.Fatalf("start after the interrupted one: %v, %v", started, err)
	}
	if got := reviewBuckets(t, s); len(got) != 1 || got[q3.String()].Starting {
		t.Errorf("reviews: %+v", got)
	}
	checkInfo(t, s, p, q3, "started after an interrupted start")

	// A start of another period deletes what an interrupted one left.
	if err := s.DiscardReview(q3); err != nil {
		t.Fatal(err)
	}
	interruptStart(t, s, q3)
	if _, started, err := s.StartOrResumeReview(p, q2, "dana", testNow); err != nil || !started {
		t.Fatalf("start q2: %v, %v", started, err)
	}
	if got := reviewBuckets(t, s); len(got) != 1 || got[q2.String()].Starting {
		t.Errorf("reviews: %+v", got)
	}
}

// TestDropStartDeletesOnlyItsOwn: a failed start tidies up what it wrote,
// never what another start wrote meanwhile.
func TestDropStartDeletesOnlyItsOwn(t *testing.T) {
	s := reviewStore(t)
	interruptStart(t, s, q3)
	other := &reviewStart{period: q3, by: "dana", at: testNow.Add(1)}
	s.dropStart(other)
	if _, ok := reviewBuckets(t, s)[q3.String()]; !ok {
		t.Fatal("a start dropped another start's review")
	}
	s.dropStart(&reviewStart{period: q3, by: "dana", at: testNow})
	if got := reviewBuckets(t, s); len(got) != 0 {
		t.Errorf("left after dropStart: %+v", got)
	}
}

// encodeProposalV1 is a proposal record as format 1 wrote it, its position
// in the review after the format byte: what stores started before
// proposals were written in batches hold.
func encodeProposalV1(pr *model.Proposal, order int) []byte {
	var e enc
	e.byte(recordV1)
	e.uvarint(uint64(order))
	for _, s := range []string{pr.Name, string(pr.Kind), pr.From, pr.To, pr.Earned, pr.Explanation} {
		e.str(s)
	}
	return e.b
}

func TestProposalRecords(t *testing.T) {
	pr := model.Proposal{Partner: "contoso", Name: "Contoso Ltd", Kind: model.Demote, From: "gold", To: "silver", Earned: "registered", Explanation: "missed Gold twice"}
	for name, rec := range map[string][]byte{"v2": encodeProposal(&pr), "v1": encodeProposalV1(&pr, 300)} {
		got, err := decodeProposal([]byte(pr.Partner), rec)
		if err != nil || !reflect.DeepEqual(got, pr) {
			t.Errorf("%s: %+v, %v; want %+v", name, got, err, pr)
		}
		for i := range rec { // every truncation is an error, never a panic
			if _, err := decodeProposal([]byte(pr.Partner), rec[:i]); err == nil {
				t.Errorf("%s: truncated record (%d of %d bytes) decoded", name, i, len(rec))
			}
		}
	}
	if _, err := decodeProposal([]byte("x"), append([]byte{3}, encodeProposal(&pr)[1:]...)); err == nil {
		t.Error("a record of an unknown format decoded")
	}
}

// TestBriefReviews: the app's reads of a review are the store's without
// explanations, every proposal sharing one copy of each tier and kind.
func TestBriefReviews(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	full, _, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := light(full)
	for i := range want.Proposals {
		want.Proposals[i].Explanation = ""
	}
	b := s.Brief()
	started, _, err := b.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	byPeriod, err := b.Review(q3)
	if err != nil {
		t.Fatal(err)
	}
	open, err := b.OpenReview()
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]*model.Review{"StartOrResumeReview": started, "Review": byPeriod, "OpenReview": open} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Brief().%s\n%+v\nwant\n%+v", name, got, want)
		}
		tiers := map[string]*byte{}
		for _, pr := range got.Proposals {
			for _, tier := range []string{pr.From, pr.To, pr.Earned} {
				if seen, ok := tiers[tier]; ok && seen != unsafe.StringData(tier) {
					t.Errorf("Brief().%s: tier %q held twice", name, tier)
				}
				tiers[tier] = unsafe.StringData(tier)
			}
		}
	}
}

// TestMigrateFromV2: a version 2 store holds its reviews' proposals with
// their positions (format 1); migrated, it reads the same review, in the
// same order, and takes decisions.
func TestMigrateFromV2(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	want, _, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	// As version 2 wrote it: every proposal in format 1, at its position.
	err = s.update(func(tx *bolt.Tx) error {
		props := tx.Bucket(bucketReviews).Bucket([]byte(q3.String())).Bucket(keyProposals)
		for i, pr := range want.Proposals {
			if err := props.Put([]byte(pr.Partner), encodeProposalV1(&pr, i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	setVersion(t, s.Path(), "2")

	m, err := Open(s.Path(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if mig := m.Migration(); mig == nil || mig.From != 2 || mig.To != SchemaVersion {
		t.Fatalf("Migration() = %+v", mig)
	}
	got, err := m.Review(q3)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("migrated review\n%+v, %v\nwant\n%+v", got, err, want)
	}
	if _, err := m.UpdateReview(q3, "contoso", func(r *model.Review) error {
		_, err := r.Accept("contoso", "dana", testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
}
