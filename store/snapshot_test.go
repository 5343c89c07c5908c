package store

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/partnertiers/partnertiers/model"
)

// sameSnapshot compares what two snapshots hold, series by their values.
func sameSnapshot(t *testing.T, got, want *Snapshot) {
	t.Helper()
	if !reflect.DeepEqual(got.Partners, want.Partners) {
		t.Errorf("partners\n%+v\nwant\n%+v", got.Partners, want.Partners)
	}
	if !reflect.DeepEqual(got.History, want.History) || !reflect.DeepEqual(got.Periods, want.Periods) {
		t.Errorf("history or periods differ:\n%+v %v\nwant\n%+v %v", got.History, got.Periods, want.History, want.Periods)
	}
	if !maps.EqualFunc(got.Production, want.Production, func(a, b model.Series) bool { return reflect.DeepEqual(a.Map(), b.Map()) }) {
		t.Errorf("production\n%v\nwant\n%v", got.Production, want.Production)
	}
}

// valuesOf is where a series keeps its values: two series that share them
// are one in memory.
func valuesOf(s model.Series) uintptr { return reflect.ValueOf(s).FieldByName("vals").Pointer() }

func partnerOf(t *testing.T, snap *Snapshot, id string) model.Partner {
	t.Helper()
	for _, p := range snap.Partners {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no partner %q", id)
	return model.Partner{}
}

// TestSnapshotAfterSharesWhatDidNotChange: a snapshot read after another
// holds what a fresh one holds, and shares with the earlier one every
// partner and series whose record did not change.
func TestSnapshotAfterSharesWhatDidNotChange(t *testing.T) {
	for _, chunk := range []int{1, 2, defaultSnapshotChunk} {
		s := reviewStore(t)
		s.snapshotChunk = chunk
		snapshotAfterShares(t, s)
	}
}

func snapshotAfterShares(t *testing.T, s *Store) {
	first, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.SnapshotAfter(first)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, again, first)
	for _, p := range first.Partners {
		if unsafe.StringData(partnerOf(t, again, p.ID).Name) != unsafe.StringData(p.Name) {
			t.Errorf("%s: read again though unchanged", p.ID)
		}
	}
	for id, series := range first.Production {
		if valuesOf(again.Production[id]) != valuesOf(series) {
			t.Errorf("production of %s: read again though unchanged", id)
		}
	}
	if reflect.ValueOf(again.Production).Pointer() != reflect.ValueOf(first.Production).Pointer() {
		t.Error("no series changed, but the production map was made again")
	}

	// Another terminal renames a partner, imports production for another
	// (with a metric the store did not have yet), adds one.
	renamed := partnerOf(t, first, "contoso")
	renamed.Name = "Contoso Renamed"
	if err := s.PutPartners([]model.Partner{renamed, {ID: "newcomer", Name: "Newcomer", Track: "isv", Tier: "registered", Joined: testNow}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutProduction([]model.Production{{Partner: "brightpath-analytics", Period: q3, Values: map[string]float64{"sourced_revenue": 1, "brand_new_metric": 2}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(model.History{Partner: "northwind-global", From: "gold", To: "silver", Period: q3, At: testNow}); err != nil {
		t.Fatal(err)
	}
	after, err := s.SnapshotAfter(again)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, after, fresh)
	if reflect.ValueOf(after.Production).Pointer() == reflect.ValueOf(again.Production).Pointer() {
		t.Error("production changed, but the map is the earlier snapshot's")
	}
	if partnerOf(t, after, "contoso").Name != "Contoso Renamed" {
		t.Error("the renamed partner kept its old record")
	}
	if unsafe.StringData(partnerOf(t, after, "northwind-global").Name) != unsafe.StringData(partnerOf(t, first, "northwind-global").Name) {
		t.Error("an unchanged partner was read again")
	}

	// Production read with other metric names is read again, whatever its
	// sum: the names give the numbers in a record their meaning.
	if valuesOf(after.Production["contoso"]) == valuesOf(first.Production["contoso"]) {
		t.Error("production was shared across a change of metric names")
	}
	last, err := s.SnapshotAfter(after)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, last, fresh)
	if valuesOf(last.Production["contoso"]) != valuesOf(after.Production["contoso"]) {
		t.Error("unchanged production was read again")
	}

	// Production changed under the same metric names is read again.
	if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q3, Values: map[string]float64{"sourced_revenue": 5}}}); err != nil {
		t.Fatal(err)
	}
	changed, err := s.SnapshotAfter(last)
	if err != nil {
		t.Fatal(err)
	}
	if fresh, err = s.Snapshot(); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, changed, fresh)
}

// TestSnapshotInPartsIsOneState: a snapshot reads partners, production and
// history in transactions of their own; a write between two of them makes
// it read again, so it never mixes two states of the store, and a store
// that keeps changing is read in one transaction.
func TestSnapshotInPartsIsOneState(t *testing.T) {
	s := reviewStore(t)
	s.snapshotChunk = 1
	n := 0
	betweenReads = func() {
		n++
		if err := s.PutProduction([]model.Production{{Partner: "contoso", Period: q3, Values: map[string]float64{"registered_deals": float64(n)}}}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { betweenReads = nil })
	got, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	betweenReads = nil
	want, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, got, want)
	if !got.Version.Same(want.Version) || n != readThenWriteTries {
		t.Errorf("after %d writes between parts: read a state the store is no longer in", n)
	}

	// Written only once: the second try reads one state in parts.
	n = 0
	betweenReads = func() {
		if n == 0 {
			if err := s.PutPartners([]model.Partner{{ID: "late", Name: "Late Arrival", Tier: "registered", Track: "isv", Joined: testNow}}); err != nil {
				t.Fatal(err)
			}
		}
		n++
	}
	got, err = s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	betweenReads = nil
	if want, err = s.Snapshot(); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, got, want)
	if partnerOf(t, got, "late").Name != "Late Arrival" {
		t.Error("the partner written between two parts is missing")
	}
}

// TestWithMovesIsTheStoreAfterFinalize: the snapshot read before a
// finalize, with the moves the finalize returned, holds what a read of the
// store after it holds, down to how times decode; it leaves the earlier
// snapshot as it was; and the next read shares every partner with it,
// moved ones too, since its sums are those of its records.
func TestWithMovesIsTheStoreAfterFinalize(t *testing.T) {
	p := testProgram()
	s := reviewStore(t)
	// Three entries each: read, their slices have room for a fourth.
	for _, id := range []string{"northwind-global", "brightpath-analytics"} {
		for _, q := range []string{"2025-Q1", "2025-Q2", "2025-Q3"} {
			h := model.History{Partner: id, From: "registered", To: "registered", Period: model.MustPeriod(q), Kind: model.Set, At: day("2025-01-02")}
			if err := s.AppendHistory(h); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	kept := cloneSnapshot(before)
	if _, _, err := s.StartOrResumeReview(p, q3, "dana", testNow); err != nil {
		t.Fatal(err)
	}
	decideAll(t, s, q3)
	// A local time: the store keeps it as UTC, and so must the moves.
	at := testNow.In(time.FixedZone("CET", 3600))
	_, moves, err := s.Brief().FinalizeReview(p, q3, "dana", at)
	if err != nil || len(moves) < 2 {
		t.Fatalf("finalize: %d moves, %v", len(moves), err)
	}

	applied, err := before.WithMoves(moves)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, applied, fresh)
	sameSnapshot(t, before, kept)
	if applied.Version.Same(fresh.Version) || applied.Version.Same(before.Version) {
		t.Error("the moved snapshot claims a version of the store")
	}

	next, err := s.SnapshotAfter(applied)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, next, fresh)
	for _, pa := range applied.Partners {
		if unsafe.StringData(partnerOf(t, next, pa.ID).Name) != unsafe.StringData(pa.Name) {
			t.Errorf("%s: read again after the moves, though the store holds what the snapshot does", pa.ID)
		}
	}

	// Two sets of moves from one snapshot do not share history entries.
	other := slices.Clone(moves)
	for i := range other {
		other[i].Reason = "another reason"
	}
	if _, err := before.WithMoves(other); err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, applied, fresh)

	// A moved partner the snapshot lacks: no snapshot.
	lacking := *before
	lacking.Partners = slices.DeleteFunc(slices.Clone(before.Partners), func(pa model.Partner) bool { return pa.ID == moves[0].Partner })
	if _, err := lacking.WithMoves(moves); err == nil || !strings.Contains(err.Error(), moves[0].Partner) {
		t.Errorf("moves onto a snapshot without %s: %v", moves[0].Partner, err)
	}
}

// cloneSnapshot copies what a snapshot holds, to tell later that it did
// not change.
func cloneSnapshot(s *Snapshot) *Snapshot {
	c := *s
	c.Partners = slices.Clone(s.Partners)
	c.History = map[string][]model.History{}
	for id, hs := range s.History {
		c.History[id] = slices.Clone(hs)
	}
	return &c
}

// TestWithMovesCleansTextAsTheStore: a move's text is held as the store
// keeps it, cleaned of escape and control characters.
func TestWithMovesCleansTextAsTheStore(t *testing.T) {
	s := reviewStore(t)
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	h := model.History{Partner: "contoso", From: "registered", To: "silver", Period: q3, Kind: model.Promote,
		Reason: "pipeline \x1b[31mdoubled\x1b[0m", Override: true, By: "dana\x07", At: testNow}
	moved, err := snap.WithMoves([]model.History{h})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendHistory(h); err != nil {
		t.Fatal(err)
	}
	stored, err := s.History("contoso")
	if err != nil {
		t.Fatal(err)
	}
	if got := moved.History["contoso"]; !reflect.DeepEqual(got, stored) {
		t.Errorf("moved\n%+v\nthe store\n%+v", got, stored)
	}
}
