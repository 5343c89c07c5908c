package store

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// light is a review as the store hands it out: proposals without evidence.
func light(r *model.Review) *model.Review {
	c := *r
	c.Proposals = append([]model.Proposal(nil), r.Proposals...)
	for i := range c.Proposals {
		c.Proposals[i].Evaluation = nil
	}
	return &c
}

// checkInfo compares ReviewInfos' counts, read without the proposals,
// with the whole review's.
func checkInfo(t *testing.T, s *Store, p *model.Program, period model.Period, step string) {
	t.Helper()
	full, err := s.Review(period)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	infos, err := s.ReviewInfos(p)
	if err != nil || len(infos) != 1 {
		t.Fatalf("%s: %d infos, %v", step, len(infos), err)
	}
	in := infos[0]
	decided, moves := full.Progress()
	if in.Decided != decided || in.Moves != moves || in.Proposals != len(full.Proposals) {
		t.Errorf("%s: info %d of %d decided, %d proposals; review %d of %d, %d", step, in.Decided, in.Moves, in.Proposals, decided, moves, len(full.Proposals))
	}
	if want := full.Summary(p); !reflect.DeepEqual(in.Summary, want) {
		t.Errorf("%s: summary\n%+v\nwant\n%+v", step, in.Summary, want)
	}
	if !reflect.DeepEqual(in.Review.Decisions, full.Decisions) || len(in.Review.Proposals) != len(full.Decisions) {
		t.Errorf("%s: info holds %d proposals and decisions %v, want the %d decided", step, len(in.Review.Proposals), in.Review.Decisions, len(full.Decisions))
	}
	// What the health checks read off it.
	got, want := in.Review.Summary(p), full.Summary(p)
	if in.Review.Status != full.Status || got.Overrides != want.Overrides || got.OverridesUp != want.OverridesUp || got.OverridesDown != want.OverridesDown {
		t.Errorf("%s: the decided part counts %+v, want %+v", step, got, want)
	}
}

func TestReviewInfosCountLikeTheWholeReview(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	if _, _, err := s.StartOrResumeReview(p, q3, "dana", testNow); err != nil {
		t.Fatal(err)
	}
	checkInfo(t, s, p, q3, "started")
	steps := []struct {
		name, partner string
		fn            func(r *model.Review) error
	}{
		{"accept a promotion", "brightpath-analytics", func(r *model.Review) error {
			_, err := r.Accept("brightpath-analytics", "dana", testNow)
			return err
		}},
		{"override a demotion upward", "northwind-global", func(r *model.Review) error {
			_, err := r.Override(p, "northwind-global", "gold", "renewal signed", "dana", testNow)
			return err
		}},
		{"override a hold downward", "contoso", func(r *model.Review) error {
			_, err := r.Override(p, "contoso", "registered", "pipeline slipping", "dana", testNow)
			return err
		}},
		{"undo", "brightpath-analytics", func(r *model.Review) error { return r.Undo("brightpath-analytics") }},
	}
	for _, st := range steps {
		if _, err := s.UpdateReview(q3, st.partner, st.fn); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkInfo(t, s, p, q3, st.name)
	}
}

func TestReviewEvidenceIsTheEvaluation(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	r, _, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"nobody-at-all"}
	for _, pr := range r.Proposals {
		if pr.Evaluation != nil {
			t.Fatalf("%s: the review carries its evidence", pr.Partner)
		}
		ids = append(ids, pr.Partner)
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.ReviewProposals(q3, ids...)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := full["nobody-at-all"]; ok || len(full) != len(r.Proposals) {
		t.Errorf("%d proposals in full for %d proposals", len(full), len(r.Proposals))
	}
	for _, pr := range r.Proposals {
		got := full[pr.Partner]
		if got.Evaluation == nil {
			t.Fatalf("%s: no evidence", pr.Partner)
		}
		got.Evaluation = nil
		if !reflect.DeepEqual(got, pr) {
			t.Errorf("%s: in full\n%+v\nwant\n%+v", pr.Partner, got, pr)
		}
	}
	for i := range snap.Partners {
		pa := &snap.Partners[i]
		if !pa.Active() {
			continue
		}
		if want := model.Evaluate(p, pa, snap.Production[pa.ID], q3); !reflect.DeepEqual(*full[pa.ID].Evaluation, want) {
			t.Errorf("%s: evidence\n%+v\nwant\n%+v", pa.ID, *full[pa.ID].Evaluation, want)
		}
	}
	if _, err := s.ReviewProposals(q2, "contoso"); !errors.Is(err, ErrNotFound) {
		t.Errorf("evidence of no review: err = %v", err)
	}
}

func TestEvaluationCodec(t *testing.T) {
	ev := model.Evaluation{
		Partner: "acme", Period: q3, Track: "isv", Current: "silver", Earned: "gold",
		Values: map[string]float64{"a": 1.5, "b": -3, "c": 0, "d": math.Copysign(0, -1), "e": 1e20, "f": 123456789, "g": -0.25},
		Checks: []model.TierCheck{
			{Tier: "registered", Met: true},
			{Tier: "silver", Met: false, Evidence: []model.Evidence{
				{Metric: "a", Value: 1.5, Min: 2, Gap: 0.5},
				{Metric: "b", Value: -3, Min: 4, Met: false, Gap: 7, Any: true},
				{Metric: "f", Value: 123456789, Min: 100, Met: true, Any: true},
			}},
		},
	}
	var strs stringTable
	v := encodeEvaluation(&ev, &strs)
	got, err := decodeEvaluation([]byte("acme"), v, strs.list)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, ev) || !math.Signbit(got.Values["d"]) {
		t.Errorf("round trip\n%+v\nwant\n%+v", got, ev)
	}
	for n := range v {
		if _, err := decodeEvaluation([]byte("acme"), v[:n], strs.list); err == nil {
			t.Errorf("a record cut at %d of %d bytes decodes", n, len(v))
		}
	}
	if _, err := decodeEvaluation([]byte("acme"), v, strs.list[:2]); err == nil {
		t.Error("a record naming strings the table lacks decodes")
	}
}

func TestUpdateReviewSeesOnlyItsPartner(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	if _, _, err := s.StartOrResumeReview(p, q3, "dana", testNow); err != nil {
		t.Fatal(err)
	}
	_, err := s.UpdateReview(q3, "contoso", func(r *model.Review) error {
		if len(r.Proposals) != 1 || r.Proposals[0].Partner != "contoso" || r.Proposals[0].Evaluation != nil {
			t.Errorf("fn sees %d proposals: %+v", len(r.Proposals), r.Proposals)
		}
		_, err := r.Accept("northwind-global", "dana", testNow)
		return err
	})
	if !errors.Is(err, model.ErrNotInReview) {
		t.Errorf("a decision on another partner: err = %v", err)
	}
	if _, err := s.UpdateReview(q3, "nobody", func(r *model.Review) error { _, err := r.Accept("nobody", "dana", testNow); return err }); !errors.Is(err, model.ErrNotInReview) {
		t.Errorf("a partner the review does not hold: err = %v", err)
	}
	if _, err := s.UpdateReview(q2, "contoso", func(*model.Review) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such review: err = %v", err)
	}
	// The decision comes back as stored: its text made safe.
	reason, by := "pipeline \x1b[31mslipping\x1b[0m", "dana\x07"
	d, err := s.UpdateReview(q3, "contoso", func(r *model.Review) error {
		_, err := r.Override(p, "contoso", "registered", reason, by, testNow)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Review(q3)
	if stored := r.Decision("contoso"); d != stored || d.Reason != safetext.Clean(reason) || d.By != safetext.Clean(by) || d.Kind != model.Overridden {
		t.Errorf("returned %+v, stored %+v", d, stored)
	}
	if d, err := s.UpdateReview(q3, "contoso", func(r *model.Review) error { return r.Undo("contoso") }); err != nil || d.Kind != model.Pending || d.Partner != "contoso" {
		t.Errorf("undo returned %+v, %v", d, err)
	}
}

// TestStartReviewSeesWritesMadeMeanwhile: a start evaluates in a read
// transaction and writes in another; a write that comes in between (an
// import in another terminal) makes it evaluate again, and a store that
// keeps changing makes it evaluate under the write lock.
func TestStartReviewSeesWritesMadeMeanwhile(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	gold := map[string]float64{"sourced_pipeline": 900000, "sourced_revenue": 400000, "certified_reps": 9, "joint_customers": 12, "registered_deals": 20}
	writes := 0
	beforeWrite = func() {
		if writes == 0 {
			if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q3, Values: gold}}); err != nil {
				t.Fatal(err)
			}
		}
		writes++
	}
	defer func() { beforeWrite = nil }()
	r, started, err := s.StartOrResumeReview(p, q3, "dana", testNow)
	if err != nil || !started {
		t.Fatalf("start: %v, %v", started, err)
	}
	if pr, _ := r.Proposal("contoso"); pr.Kind != model.Promote || writes < 2 {
		t.Errorf("contoso is %s after %d writes: the import made meanwhile was missed", pr.Kind, writes)
	}
	if stored, _ := s.Review(q3); !reflect.DeepEqual(stored.Proposals, r.Proposals) {
		t.Error("the review returned is not the one stored")
	}

	if err := s.DiscardReview(q3); err != nil {
		t.Fatal(err)
	}
	writes = 0
	beforeWrite = func() {
		writes++
		if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q2, Values: map[string]float64{"registered_deals": float64(writes)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, started, err := s.StartOrResumeReview(p, q3, "dana", testNow); err != nil || !started || writes != readThenWriteTries {
		t.Fatalf("on a busy store: started %v after %d tries, %v", started, writes, err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// v1Header is a review header as schema version 1 wrote it.
type v1Header struct {
	Period      model.Period       `json:"period"`
	Status      model.ReviewStatus `json:"status"`
	StartedBy   string             `json:"started_by"`
	StartedAt   time.Time          `json:"started_at"`
	FinalizedBy string             `json:"finalized_by,omitempty"`
	FinalizedAt time.Time          `json:"finalized_at,omitzero"`
}

// writeReviewV1 turns the store at path into schema version 1 holding r:
// each proposal, evidence and all, as JSON under its 8-byte position.
func writeReviewV1(t *testing.T, path string, r *model.Review) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketReviews)
		if root.Bucket([]byte(r.Period.String())) != nil {
			if err := root.DeleteBucket([]byte(r.Period.String())); err != nil {
				return err
			}
		}
		b, err := root.CreateBucket([]byte(r.Period.String()))
		if err != nil {
			return err
		}
		h := v1Header{Period: r.Period, Status: r.Status, StartedBy: r.StartedBy, StartedAt: r.StartedAt}
		if err := putJSON(b, keyReview, h); err != nil {
			return err
		}
		props, err := b.CreateBucket(keyProposals)
		if err != nil {
			return err
		}
		for i, pr := range r.Proposals {
			if err := putJSON(props, binary.BigEndian.AppendUint64(nil, uint64(i)), pr); err != nil {
				return err
			}
		}
		decisions, err := b.CreateBucket(keyDecisions)
		if err != nil {
			return err
		}
		for id, d := range r.Decisions {
			if err := putJSON(decisions, []byte(id), d); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateReviewsFromV1(t *testing.T) {
	s := reviewStore(t)
	p := testProgram()
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	full := model.StartReview(p, snap.Partners, snap.Production, q3, "dana", testNow)
	if _, err := full.Accept("brightpath-analytics", "dana", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := full.Override(p, "contoso", "registered", "pipeline slipping", "sam", testNow); err != nil {
		t.Fatal(err)
	}
	writeReviewV1(t, s.Path(), full)

	m, err := Open(s.Path(), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if mig := m.Migration(); mig == nil || mig.From != 1 || mig.To != SchemaVersion || mig.Backup == "" {
		t.Fatalf("Migration() = %+v", mig)
	}
	got, err := m.Review(q3)
	if err != nil {
		t.Fatal(err)
	}
	if want := light(full); !reflect.DeepEqual(got, want) {
		t.Errorf("migrated review\n%+v\nwant\n%+v", got, want)
	}
	prs, err := m.ReviewProposals(q3, "northwind-global", "brightpath-analytics", "contoso")
	if err != nil || len(prs) != 3 {
		t.Fatalf("proposals in full: %d, %v", len(prs), err)
	}
	for id, got := range prs {
		if pr, _ := full.Proposal(id); !reflect.DeepEqual(got, pr) {
			t.Errorf("%s: in full\n%+v\nwant\n%+v", id, got, pr)
		}
	}
	checkInfo(t, m, p, q3, "migrated")
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	// It takes decisions and finalizes as a review started now would.
	if _, err := m.UpdateReview(q3, "northwind-global", func(r *model.Review) error {
		_, err := r.Accept("northwind-global", "dana", testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if r, hs, err := m.FinalizeReview(p, q3, "dana", testNow); err != nil || r.Status != model.ReviewFinalized || len(hs) != 3 {
		t.Fatalf("finalize after migration: %d changes, %v", len(hs), err)
	}
}
